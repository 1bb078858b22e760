package io.portico.controller.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.PolicyAncestorStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.PolicyStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.portico.controller.gateway.GatewayApi;
import io.portico.controller.gateway.GatewayApiStatus;
import io.portico.controller.gateway.GatewayView;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.Kinds;
import io.portico.controller.snapshot.ObjectKey;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the status of the Gateway API objects Portico manages: GatewayClasses of its controller
 * name, their Gateways, and Portico's entries in {@code status.parents} of the routes attached to
 * them (other controllers' entries are kept as they are; Portico's own go when a route no longer
 * names one of its Gateways), and its entries in {@code status.ancestors} of the BackendTLSPolicies
 * that apply to their backends. Renders with {@link GatewayStatusRenderer} and writes only what
 * differs from the status the object has, so an unchanged translation writes nothing. An object
 * whose generation moved past the one the translation saw is left for the next translation, which
 * the change brings. Conflicts (409) are left to the informer's update of the object, as for
 * Ingress status.
 */
final class GatewayStatusWriter {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayStatusWriter.class);

  private final KubernetesClient client;
  private final Clock clock;

  GatewayStatusWriter(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * @param addresses the published addresses Gateways get; empty for those translation chose
   * @return the number of objects written
   */
  int reconcile(
      GatewayApiStatus status,
      ClusterSnapshot snapshot,
      List<GatewayView.Address> addresses,
      WritePass pass) {
    int written = 0;
    for (GatewayApiStatus.ClassStatus desired : status.classes()) {
      GatewayClass current =
          snapshot.get(Kinds.GATEWAY_CLASS, ObjectKey.clusterScoped(desired.name()));
      if (current == null || stale(current, desired.generation())) {
        continue;
      }
      GatewayClassStatus next =
          GatewayStatusRenderer.gatewayClass(desired, current.getStatus(), clock.instant());
      if (!same(next, current.getStatus())) {
        if (!pass.mayWrite()) {
          return written;
        }
        written +=
            write(
                current,
                copy -> {
                  ((GatewayClass) copy).setStatus(next);
                  return copy;
                },
                pass);
      }
    }
    for (GatewayApiStatus.GatewayStatus desired : status.gateways()) {
      Gateway current = snapshot.get(Kinds.GATEWAY, desired.key());
      if (current == null || stale(current, desired.generation())) {
        continue;
      }
      io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus next =
          GatewayStatusRenderer.gateway(desired, addresses, current.getStatus(), clock.instant());
      if (!same(next, current.getStatus())) {
        if (!pass.mayWrite()) {
          return written;
        }
        written +=
            write(
                current,
                copy -> {
                  ((Gateway) copy).setStatus(next);
                  return copy;
                },
                pass);
      }
    }
    Map<ObjectKey, GatewayApiStatus.RouteStatus> http = new HashMap<>();
    Map<ObjectKey, GatewayApiStatus.RouteStatus> grpc = new HashMap<>();
    for (GatewayApiStatus.RouteStatus route : status.routes()) {
      (route.kind().kind().equals(GatewayApi.HTTP_ROUTE) ? http : grpc).put(route.key(), route);
    }
    for (HTTPRoute route : snapshot.all(Kinds.HTTP_ROUTE)) {
      GatewayApiStatus.@Nullable RouteStatus desired = http.get(ObjectKey.of(route));
      List<RouteParentStatus> before =
          route.getStatus() == null ? List.of() : route.getStatus().getParents();
      List<RouteParentStatus> next = parents(route, desired, before);
      if (next == null || Objects.equals(tree(next), tree(before))) {
        continue;
      }
      if (!pass.mayWrite()) {
        return written;
      }
      written +=
          write(
              route,
              copy -> {
                HTTPRouteStatus updated = new HTTPRouteStatus();
                updated.setParents(next);
                keepEmptyParents(updated.getAdditionalProperties(), next);
                ((HTTPRoute) copy).setStatus(updated);
                return copy;
              },
              pass);
    }
    for (GRPCRoute route : snapshot.all(Kinds.GRPC_ROUTE)) {
      GatewayApiStatus.@Nullable RouteStatus desired = grpc.get(ObjectKey.of(route));
      List<RouteParentStatus> before =
          route.getStatus() == null ? List.of() : route.getStatus().getParents();
      List<RouteParentStatus> next = parents(route, desired, before);
      if (next == null || Objects.equals(tree(next), tree(before))) {
        continue;
      }
      if (!pass.mayWrite()) {
        return written;
      }
      written +=
          write(
              route,
              copy -> {
                GRPCRouteStatus updated = new GRPCRouteStatus();
                updated.setParents(next);
                keepEmptyParents(updated.getAdditionalProperties(), next);
                ((GRPCRoute) copy).setStatus(updated);
                return copy;
              },
              pass);
    }
    Map<ObjectKey, GatewayApiStatus.PolicyStatus> policies = new HashMap<>();
    for (GatewayApiStatus.PolicyStatus policy : status.policies()) {
      policies.put(policy.key(), policy);
    }
    for (BackendTLSPolicy policy : snapshot.all(Kinds.BACKEND_TLS_POLICY)) {
      GatewayApiStatus.@Nullable PolicyStatus desired = policies.get(ObjectKey.of(policy));
      List<PolicyAncestorStatus> before =
          policy.getStatus() == null || policy.getStatus().getAncestors() == null
              ? List.of()
              : policy.getStatus().getAncestors();
      boolean ours =
          before.stream().anyMatch(a -> GatewayApi.CONTROLLER_NAME.equals(a.getControllerName()));
      if ((desired == null && !ours) || (desired != null && stale(policy, desired.generation()))) {
        continue;
      }
      List<PolicyAncestorStatus> next =
          GatewayStatusRenderer.policyAncestors(
              desired, GatewayApi.CONTROLLER_NAME, before, clock.instant());
      if (Objects.equals(tree(next), tree(before))) {
        continue;
      }
      if (!pass.mayWrite()) {
        return written;
      }
      written +=
          write(
              policy,
              copy -> {
                PolicyStatus updated = new PolicyStatus();
                updated.setAncestors(next);
                if (next.isEmpty()) {
                  // status.ancestors is required: an empty one is sent as such.
                  updated.getAdditionalProperties().put("ancestors", List.of());
                }
                ((BackendTLSPolicy) copy).setStatus(updated);
                return copy;
              },
              pass);
    }
    return written;
  }

  /**
   * The parents a route should have, or {@code null} to leave it alone: a route translation did not
   * see at its current generation, or one with nothing of Portico's either way.
   */
  private @Nullable List<RouteParentStatus> parents(
      HasMetadata route,
      GatewayApiStatus.@Nullable RouteStatus desired,
      List<RouteParentStatus> before) {
    if (desired == null) {
      boolean ours =
          before.stream().anyMatch(p -> GatewayApi.CONTROLLER_NAME.equals(p.getControllerName()));
      return ours
          ? GatewayStatusRenderer.routeParents(
              null, GatewayApi.CONTROLLER_NAME, before, clock.instant())
          : null;
    }
    if (stale(route, desired.generation())) {
      return null;
    }
    String controller =
        desired.parents().isEmpty()
            ? GatewayApi.CONTROLLER_NAME
            : desired.parents().get(0).controllerName();
    return GatewayStatusRenderer.routeParents(desired, controller, before, clock.instant());
  }

  /**
   * The model leaves an empty list out of what it sends, but a route's {@code status.parents} is
   * required: an empty one is sent as such.
   */
  private static void keepEmptyParents(Map<String, Object> extra, List<RouteParentStatus> parents) {
    if (parents.isEmpty()) {
      extra.put("parents", List.of());
    }
  }

  /** Whether the object changed since the translation saw it: its next translation will write. */
  private static boolean stale(HasMetadata object, long generation) {
    Long current = object.getMetadata().getGeneration();
    return current != null && current != generation;
  }

  private static boolean same(@Nullable Object a, @Nullable Object b) {
    return Objects.equals(tree(a), tree(b));
  }

  private static @Nullable JsonNode tree(@Nullable Object value) {
    return value == null ? null : Serialization.jsonMapper().valueToTree(value);
  }

  /** Writes the status of a copy of {@code current}; 1 when written. */
  private int write(HasMetadata current, UnaryOperator<HasMetadata> withStatus, WritePass pass) {
    HasMetadata copy = withStatus.apply(Serialization.clone(current));
    String namespace = current.getMetadata().getNamespace();
    try {
      if (namespace == null) {
        client.resource(copy).updateStatus();
      } else {
        client.resource(copy).inNamespace(namespace).updateStatus();
      }
      LOG.info(
          "event=status_written kind={} namespace={} name={}",
          current.getKind(),
          namespace == null ? "" : namespace,
          current.getMetadata().getName());
      return 1;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        LOG.debug(
            "event=status_conflict kind={} name={}",
            current.getKind(),
            current.getMetadata().getName());
      } else if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        boolean retry = pass.failed(e);
        LOG.warn(
            "event=status_write_failed kind={} namespace={} name={} code={} retry={} error=\"{}\"",
            current.getKind(),
            namespace == null ? "" : namespace,
            current.getMetadata().getName(),
            e.getCode(),
            retry,
            e.getMessage());
      }
      return 0;
    }
  }
}
