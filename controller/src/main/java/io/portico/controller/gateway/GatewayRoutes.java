package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.portico.controller.gateway.RouteFilter.RequestRedirect;
import io.portico.controller.gateway.RouteMatch.GrpcMatch;
import io.portico.controller.gateway.RouteMatch.HttpMatch;
import io.portico.controller.gateway.RouteMatch.ValueMatch;
import io.portico.controller.gateway.RouteMatch.ValueType;
import io.portico.controller.snapshot.ObjectKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules Portico serves for the Gateway API, independent of the router's structures: per local
 * port, the listeners on it grouped by hostname (listeners of several Gateways with the same
 * hostname on one local port merge), most specific first; per group, every match of every rule of
 * every route attached there, with the hostname the route serves through the listener, in {@link
 * RulePrecedence} order. A request is served by the most specific listener hostname that covers its
 * host (port ignored), then by the first entry whose hostname and match hold.
 *
 * @param ports by local port: Portico's HTTP listener, its HTTPS listener, then opened ports
 */
public record GatewayRoutes(List<PortRoutes> ports) {

  /**
   * What one local port serves.
   *
   * @param local the local port
   * @param protocol {@code HTTP} or {@code HTTPS}
   * @param listeners by listener hostname, most specific first, the listeners without one last
   */
  public record PortRoutes(LocalPort local, String protocol, List<ListenerRoutes> listeners) {

    public PortRoutes {
      requireNonNull(local, "local");
      requireNonNull(protocol, "protocol");
      listeners = List.copyOf(listeners);
    }
  }

  /**
   * The Gateway listeners of one hostname on one local port, and their rules.
   *
   * @param hostname the listeners' hostname; empty for every name
   * @param listeners the Gateway listeners merged here
   * @param entries their routes' rules, in precedence order
   */
  public record ListenerRoutes(
      Optional<Hostname> hostname, List<ServedListener> listeners, List<RuleEntry> entries) {

    public ListenerRoutes {
      requireNonNull(hostname, "hostname");
      listeners = List.copyOf(listeners);
      entries = List.copyOf(entries);
    }
  }

  /**
   * Where an entry comes from.
   *
   * @param kind HTTPRoute or GRPCRoute
   * @param route the route's facts (key, creation time)
   * @param rule the rule's index in the route
   * @param match the match's index in the rule
   * @param ruleName the rule's name, if it has one
   */
  public record Origin(
      GroupKind kind, ObjectFacts route, int rule, int match, Optional<String> ruleName) {

    public Origin {
      requireNonNull(kind, "kind");
      requireNonNull(route, "route");
      requireNonNull(ruleName, "ruleName");
    }

    @Override
    public String toString() {
      return kind.kind() + " " + route.key() + " rule " + ruleName.orElse(String.valueOf(rule));
    }
  }

  /**
   * One match of one rule, as served through one listener.
   *
   * @param hostname the route hostname it serves there; empty for every name the listener serves
   * @param match what the request must match
   * @param filters the rule's filters, in order
   * @param backends the rule's backends; empty when the rule forwards nowhere (then 500, unless a
   *     redirect answers)
   * @param timeouts the rule's timeouts
   * @param gatewayPort the port of the Gateway listener (what redirects derive ports from)
   * @param origin the route, rule and match it comes from
   * @param mirror where the rule's {@code RequestMirror} filter sends copies; empty without one
   * @param session the rule's {@code sessionPersistence}; empty without one
   */
  public record RuleEntry(
      Optional<Hostname> hostname,
      RouteMatch match,
      List<RouteFilter> filters,
      List<WeightedBackend> backends,
      RouteTimeouts timeouts,
      int gatewayPort,
      Origin origin,
      Optional<BackendTarget> mirror,
      Optional<RouteSession> session) {

    public RuleEntry {
      requireNonNull(hostname, "hostname");
      requireNonNull(match, "match");
      filters = List.copyOf(filters);
      backends = List.copyOf(backends);
      requireNonNull(timeouts, "timeouts");
      requireNonNull(origin, "origin");
      requireNonNull(mirror, "mirror");
      requireNonNull(session, "session");
    }
  }

  /**
   * A backend of a rule with its share.
   *
   * @param target the Service port, or why there is none (its share of requests answers 500)
   * @param weight its relative share; 0 never chosen
   * @param filters filters applied when it is chosen
   * @param ref the reference as written (defaulted), with the route's namespace written out
   * @param port the port it names, if any
   * @param mirror where its own {@code RequestMirror} filter sends copies; empty without one
   */
  public record WeightedBackend(
      BackendTarget target,
      int weight,
      List<RouteFilter> filters,
      TargetRef ref,
      Optional<Integer> port,
      Optional<BackendTarget> mirror) {

    public WeightedBackend {
      requireNonNull(target, "target");
      filters = List.copyOf(filters);
      requireNonNull(ref, "ref");
      requireNonNull(port, "port");
      requireNonNull(mirror, "mirror");
    }
  }

  /** Where a backend reference leads. */
  public sealed interface BackendTarget {

    /** A Service port, to be resolved to endpoints as for Ingress. */
    record ServicePort(ObjectKey service, int port) implements BackendTarget {

      public ServicePort {
        requireNonNull(service, "service");
      }

      @Override
      public String toString() {
        return service + ":" + port;
      }
    }

    /** A reference that cannot be used: its share of requests answers 500. */
    record Unusable(String reason, String message) implements BackendTarget {

      public Unusable {
        requireNonNull(reason, "reason");
        requireNonNull(message, "message");
      }

      @Override
      public String toString() {
        return "500 (" + reason + ")";
      }
    }
  }

  public GatewayRoutes {
    ports = List.copyOf(ports);
  }

  /** The route model of what attachment decided. */
  static GatewayRoutes of(
      GatewayAttachment.Result attached,
      List<ReferenceGrantView> grants,
      GatewayReferences references) {
    BackendChecks checks = new BackendChecks(new ReferenceGrants(grants), references);
    Map<LocalPort, Map<Optional<Hostname>, List<ServedListener>>> groups = new LinkedHashMap<>();
    for (ServedListener listener :
        attached.listeners().stream()
            .sorted(Comparator.comparing(GatewayRoutes::portOrder))
            .toList()) {
      groups
          .computeIfAbsent(listener.local(), l -> new LinkedHashMap<>())
          .computeIfAbsent(listener.listener().hostname(), h -> new ArrayList<>())
          .add(listener);
    }
    List<PortRoutes> ports = new ArrayList<>();
    for (Map.Entry<LocalPort, Map<Optional<Hostname>, List<ServedListener>>> port :
        groups.entrySet()) {
      List<ListenerRoutes> listeners = new ArrayList<>();
      // Every group of a port has at least one listener, all of one protocol.
      String protocol = "";
      for (Map.Entry<Optional<Hostname>, List<ServedListener>> group : port.getValue().entrySet()) {
        protocol = group.getValue().get(0).listener().protocol();
        List<RuleEntry> entries = new ArrayList<>();
        for (Attachment attachment : attached.attachments()) {
          if (group.getValue().contains(attachment.listener())) {
            entries.addAll(entries(attachment, checks));
          }
        }
        entries.sort(RulePrecedence.ORDER);
        listeners.add(new ListenerRoutes(group.getKey(), group.getValue(), entries));
      }
      listeners.sort(
          Comparator.comparing(
              ListenerRoutes::hostname,
              (a, b) ->
                  a.isPresent() && b.isPresent()
                      ? Hostname.MOST_SPECIFIC_FIRST.compare(a.get(), b.get())
                      : Boolean.compare(a.isEmpty(), b.isEmpty())));
      ports.add(new PortRoutes(port.getKey(), protocol, listeners));
    }
    return new GatewayRoutes(ports);
  }

  private static String portOrder(ServedListener listener) {
    LocalPort local = listener.local();
    String port =
        local instanceof LocalPort.Opened opened
            ? String.format("2%05d", opened.port())
            : local instanceof LocalPort.HttpListener ? "0" : "1";
    return port + "/" + listener.describe();
  }

  private static List<RuleEntry> entries(Attachment attachment, BackendChecks checks) {
    RouteView route = attachment.route();
    List<Optional<Hostname>> hostnames = new ArrayList<>();
    if (attachment.hostnames().isEmpty()) {
      hostnames.add(Optional.empty());
    } else {
      attachment.hostnames().forEach(h -> hostnames.add(Optional.of(h)));
    }
    List<RuleEntry> out = new ArrayList<>();
    for (int r = 0; r < route.rules().size(); r++) {
      RouteRule rule = route.rules().get(r);
      if (unsupported(rule).isPresent()) {
        continue;
      }
      List<WeightedBackend> backends = new ArrayList<>();
      for (int b = 0; b < rule.backendRefs().size(); b++) {
        BackendRefView ref = rule.backendRefs().get(b);
        Optional<Condition> problem =
            checks.problem(route, ref.ref(), "spec.rules[" + r + "].backendRefs[" + b + "]: ");
        BackendTarget target =
            problem.isPresent()
                ? new BackendTarget.Unusable(problem.get().reason(), problem.get().message())
                : new BackendTarget.ServicePort(
                    ref.ref().key(route.namespace()), ref.port().orElseThrow());
        TargetRef written =
            new TargetRef(
                ref.ref().group(),
                ref.ref().kind(),
                ref.ref().name(),
                Optional.of(ref.ref().key(route.namespace()).namespace()));
        Optional<BackendTarget> ownMirror =
            mirror(
                route,
                ref.filters(),
                "spec.rules[" + r + "].backendRefs[" + b + "].filters",
                checks);
        backends.add(
            new WeightedBackend(
                target, ref.weight(), ref.filters(), written, ref.port(), ownMirror));
      }
      Optional<BackendTarget> ruleMirror =
          mirror(route, rule.filters(), "spec.rules[" + r + "].filters", checks);
      List<RouteMatch> matches =
          rule.matches().isEmpty() && route.kind().equals(GroupKind.GRPC_ROUTE)
              ? List.of(
                  new GrpcMatch(ValueType.EXACT, Optional.empty(), Optional.empty(), List.of()))
              : rule.matches();
      for (int m = 0; m < matches.size(); m++) {
        Origin origin = new Origin(route.kind(), route.facts(), r, m, rule.name());
        for (Optional<Hostname> hostname : hostnames) {
          out.add(
              new RuleEntry(
                  hostname,
                  matches.get(m),
                  rule.filters(),
                  backends,
                  rule.timeouts(),
                  attachment.listener().listener().port(),
                  origin,
                  ruleMirror,
                  rule.session()));
        }
      }
    }
    return out;
  }

  /**
   * Where the first {@code RequestMirror} of the filters sends copies (a route with more than one,
   * or with a share other than 0 or 100%, is refused: see {@link UnservedValues}): a Service port,
   * or why it cannot be used. A share of 0 mirrors nothing.
   */
  private static Optional<BackendTarget> mirror(
      RouteView route, List<RouteFilter> filters, String field, BackendChecks checks) {
    for (int i = 0; i < filters.size(); i++) {
      if (filters.get(i) instanceof RouteFilter.RequestMirror mirror && mirror.numerator() > 0) {
        Optional<Condition> problem =
            checks.problem(
                route, mirror.backend(), field + "[" + i + "].requestMirror.backendRef: ");
        if (problem.isPresent()) {
          return Optional.of(
              new BackendTarget.Unusable(problem.get().reason(), problem.get().message()));
        }
        if (mirror.port().isEmpty()) {
          return Optional.of(
              new BackendTarget.Unusable(
                  "UnsupportedValue",
                  field + "[" + i + "].requestMirror.backendRef.port: required for a Service"));
        }
        return Optional.of(
            new BackendTarget.ServicePort(
                mirror.backend().key(route.namespace()), mirror.port().get()));
      }
    }
    return Optional.empty();
  }

  /**
   * Why Portico cannot serve a rule, though the API server accepted it: a regular expression RE2
   * does not compile. Empty when it can.
   */
  static Optional<String> unsupported(RouteRule rule) {
    for (RouteMatch match : rule.matches()) {
      List<String> patterns = new ArrayList<>();
      List<ValueMatch> values = new ArrayList<>();
      if (match instanceof HttpMatch http) {
        if (http.path().type() == PathMatch.Type.REGULAR_EXPRESSION) {
          patterns.add(http.path().value());
        }
        values.addAll(http.headers());
        values.addAll(http.queryParams());
      } else if (match instanceof GrpcMatch grpc) {
        if (grpc.type() == ValueType.REGULAR_EXPRESSION) {
          grpc.service().ifPresent(patterns::add);
          grpc.method().ifPresent(patterns::add);
        }
        values.addAll(grpc.headers());
      }
      values.stream()
          .filter(v -> v.type() == ValueType.REGULAR_EXPRESSION)
          .forEach(v -> patterns.add(v.value()));
      for (String pattern : patterns) {
        try {
          Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
          return Optional.of(
              "regular expression "
                  + pattern
                  + ": "
                  + e.getDescription()
                  + " (expected: RE2 syntax)");
        }
      }
    }
    return Optional.empty();
  }

  /** One line per local port, listener group and entry: for tests and debugging. */
  public String dump() {
    StringBuilder out = new StringBuilder();
    for (PortRoutes port : ports) {
      out.append("port ").append(port.local).append(" (").append(port.protocol).append(")\n");
      for (ListenerRoutes listener : port.listeners) {
        out.append("  listener ")
            .append(listener.hostname.map(Hostname::value).orElse("*"))
            .append(' ')
            .append(listener.listeners.stream().map(ServedListener::describe).toList())
            .append('\n');
        for (RuleEntry entry : listener.entries) {
          out.append("    ")
              .append(entry.hostname.map(Hostname::value).orElse("*"))
              .append(' ')
              .append(entry.match)
              .append(" -> ");
          if (entry.backends.isEmpty()) {
            out.append(
                entry.filters.stream().anyMatch(f -> f instanceof RequestRedirect)
                    ? "redirect"
                    : "500 (no backends)");
          } else {
            List<String> backends = new ArrayList<>();
            for (WeightedBackend backend : entry.backends) {
              backends.add(
                  backend.target + (entry.backends.size() > 1 ? " weight " + backend.weight : ""));
            }
            out.append(String.join(", ", backends));
          }
          if (!entry.filters.isEmpty()) {
            out.append(" filters ")
                .append(entry.filters.stream().map(f -> f.getClass().getSimpleName()).toList());
          }
          entry.mirror.ifPresent(
              m ->
                  out.append(" mirror ")
                      .append(
                          m instanceof BackendTarget.Unusable unusable
                              ? "none (" + unusable.reason() + ")"
                              : m));
          entry.timeouts.request().ifPresent(d -> out.append(" request-timeout ").append(d));
          entry.timeouts.backendRequest().ifPresent(d -> out.append(" backend-timeout ").append(d));
          entry.session.ifPresent(
              session ->
                  out.append(" session ")
                      .append(session.type())
                      .append(' ')
                      .append(session.lifetime())
                      .append(session.sessionName().map(name -> " " + name).orElse("")));
          out.append("  (").append(entry.origin).append(")\n");
        }
      }
    }
    return out.toString();
  }
}
