package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ObjectKey;
import java.util.List;

/**
 * The status Portico writes (in a cluster) or would write (manifests mode) for every Gateway API
 * object it manages, as immutable values: the leader's status writer and the admin {@code /status}
 * endpoint both render these. Only objects Portico is responsible for appear: GatewayClasses with
 * its controller name, the Gateways of those classes, and the routes with a parentRef to one of
 * those Gateways (one parent entry per such parentRef, refused ones included).
 *
 * @param classes by name
 * @param gateways by namespace and name
 * @param routes by kind, then namespace and name
 * @param policies the BackendTLSPolicies with an ancestor Portico manages, by namespace and name
 */
public record GatewayApiStatus(
    List<ClassStatus> classes,
    List<GatewayStatus> gateways,
    List<RouteStatus> routes,
    List<PolicyStatus> policies) {

  /** The status of the Gateway API objects without policies. */
  public GatewayApiStatus(
      List<ClassStatus> classes, List<GatewayStatus> gateways, List<RouteStatus> routes) {
    this(classes, gateways, routes, List.of());
  }

  /**
   * A GatewayClass's status.
   *
   * @param name the class
   * @param generation the generation it was computed from
   * @param conditions {@code Accepted} and {@code SupportedVersion}
   * @param supportedFeatures the feature names Portico claims, sorted
   */
  public record ClassStatus(
      String name, long generation, List<Condition> conditions, List<String> supportedFeatures) {

    public ClassStatus {
      requireNonNull(name, "name");
      conditions = List.copyOf(conditions);
      supportedFeatures = List.copyOf(supportedFeatures);
    }
  }

  /**
   * A Gateway's status.
   *
   * @param key the Gateway
   * @param generation the generation it was computed from
   * @param conditions {@code Accepted} and {@code Programmed}
   * @param addresses where it is served, each with a type
   * @param listeners one per listener of the spec, in spec order, invalid ones included
   */
  public record GatewayStatus(
      ObjectKey key,
      long generation,
      List<Condition> conditions,
      List<GatewayView.Address> addresses,
      List<ListenerStatus> listeners) {

    public GatewayStatus {
      requireNonNull(key, "key");
      conditions = List.copyOf(conditions);
      addresses = List.copyOf(addresses);
      listeners = List.copyOf(listeners);
    }
  }

  /**
   * One listener's status.
   *
   * @param name the listener
   * @param supportedKinds the route kinds it accepts; empty for a protocol Portico does not serve
   * @param attachedRoutes how many routes are attached to it (accepted through it)
   * @param conditions {@code Accepted}, {@code ResolvedRefs}, {@code Programmed}, and {@code
   *     Conflicted} when true
   */
  public record ListenerStatus(
      String name, List<GroupKind> supportedKinds, int attachedRoutes, List<Condition> conditions) {

    public ListenerStatus {
      requireNonNull(name, "name");
      supportedKinds = List.copyOf(supportedKinds);
      conditions = List.copyOf(conditions);
    }
  }

  /**
   * A route's status.
   *
   * @param kind HTTPRoute or GRPCRoute
   * @param key the route
   * @param generation the generation it was computed from
   * @param parents one per parentRef naming one of Portico's Gateways, in parentRefs order
   */
  public record RouteStatus(
      GroupKind kind, ObjectKey key, long generation, List<ParentStatus> parents) {

    public RouteStatus {
      requireNonNull(kind, "kind");
      requireNonNull(key, "key");
      parents = List.copyOf(parents);
    }
  }

  /**
   * A route's status for one parentRef.
   *
   * @param parentRef the reference, defaulted, with its namespace written out
   * @param controllerName Portico's controller name
   * @param conditions {@code Accepted} and {@code ResolvedRefs}, and {@code PartiallyInvalid} when
   *     some rules were dropped
   */
  public record ParentStatus(
      ParentRef parentRef, String controllerName, List<Condition> conditions) {

    public ParentStatus {
      requireNonNull(parentRef, "parentRef");
      requireNonNull(controllerName, "controllerName");
      conditions = List.copyOf(conditions);
    }
  }

  /**
   * A BackendTLSPolicy's status: one ancestor per Gateway whose routes use a Service port it
   * targets ({@link BackendTlsPolicies}).
   *
   * @param key the policy
   * @param generation the generation it was computed from
   * @param ancestors by Gateway, each with {@code Accepted} and {@code ResolvedRefs}
   */
  public record PolicyStatus(ObjectKey key, long generation, List<ParentStatus> ancestors) {

    public PolicyStatus {
      requireNonNull(key, "key");
      ancestors = List.copyOf(ancestors);
    }
  }

  /** No object to report on. */
  public static final GatewayApiStatus NONE = new GatewayApiStatus(List.of(), List.of(), List.of());

  public GatewayApiStatus {
    classes = List.copyOf(classes);
    gateways = List.copyOf(gateways);
    routes = List.copyOf(routes);
    policies = List.copyOf(policies);
  }

  /** This status with {@code policies} instead of its own. */
  public GatewayApiStatus withPolicies(List<PolicyStatus> policies) {
    return new GatewayApiStatus(classes, gateways, routes, policies);
  }

  /** One line per object, listener and parent, conditions in order: for tests and debugging. */
  public String dump() {
    StringBuilder out = new StringBuilder();
    for (ClassStatus status : classes) {
      out.append("GatewayClass ")
          .append(status.name)
          .append(" (generation ")
          .append(status.generation)
          .append(")\n");
      conditions(out, "  ", status.conditions, status.generation);
    }
    for (GatewayStatus status : gateways) {
      out.append("Gateway ")
          .append(status.key)
          .append(" (generation ")
          .append(status.generation)
          .append(")\n");
      conditions(out, "  ", status.conditions, status.generation);
      for (GatewayView.Address address : status.addresses) {
        out.append("  address ")
            .append(address.type())
            .append(' ')
            .append(address.value())
            .append('\n');
      }
      for (ListenerStatus listener : status.listeners) {
        out.append("  listener ")
            .append(listener.name)
            .append(": attachedRoutes ")
            .append(listener.attachedRoutes)
            .append(", supportedKinds ")
            .append(listener.supportedKinds)
            .append('\n');
        conditions(out, "    ", listener.conditions, status.generation);
      }
    }
    for (RouteStatus status : routes) {
      out.append(status.kind.kind())
          .append(' ')
          .append(status.key)
          .append(" (generation ")
          .append(status.generation)
          .append(")\n");
      for (ParentStatus parent : status.parents) {
        out.append("  parent ").append(parent.parentRef).append('\n');
        conditions(out, "    ", parent.conditions, status.generation);
      }
    }
    for (PolicyStatus status : policies) {
      out.append("BackendTLSPolicy ")
          .append(status.key)
          .append(" (generation ")
          .append(status.generation)
          .append(")\n");
      for (ParentStatus ancestor : status.ancestors) {
        out.append("  ancestor ").append(ancestor.parentRef).append('\n');
        conditions(out, "    ", ancestor.conditions, status.generation);
      }
    }
    return out.toString();
  }

  private static void conditions(
      StringBuilder out, String indent, List<Condition> conditions, long generation) {
    for (Condition condition : conditions) {
      out.append(indent).append(condition.summary());
      if (condition.observedGeneration() != generation) {
        out.append(" (observedGeneration ").append(condition.observedGeneration()).append(')');
      }
      out.append(": ").append(condition.message()).append('\n');
    }
  }
}
