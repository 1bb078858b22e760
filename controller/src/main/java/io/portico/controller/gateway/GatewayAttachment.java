package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import io.portico.controller.gateway.GatewayApi.Reason;
import io.portico.controller.gateway.GatewayApi.Type;
import io.portico.controller.gateway.GatewayApiStatus.ClassStatus;
import io.portico.controller.gateway.GatewayApiStatus.GatewayStatus;
import io.portico.controller.gateway.GatewayApiStatus.ListenerStatus;
import io.portico.controller.gateway.GatewayApiStatus.ParentStatus;
import io.portico.controller.gateway.GatewayApiStatus.RouteStatus;
import io.portico.controller.gateway.ListenerView.AllowedRoutes;
import io.portico.controller.snapshot.ObjectKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which GatewayClasses, Gateways, listeners and routes Portico serves, and the status of
 * each: a pure function of the objects read, the references they can resolve, and the settings.
 *
 * <ol>
 *   <li>A GatewayClass is Portico's when its {@code controllerName} is; it is accepted unless it
 *       has a {@code parametersRef} (Portico takes none).
 *   <li>Each listener of a Gateway of such a class: the protocol is checked before the port (an
 *       unsupported one is {@code UnsupportedProtocol}; a supported one on a port without a local
 *       port is {@code PortUnavailable}); then the route kinds it allows, and for HTTPS its
 *       certificates (core Secrets, across namespaces only with a ReferenceGrant). Listeners of
 *       different Gateways on one local port do not conflict, unless that port would have to speak
 *       two protocols.
 *   <li>Each parentRef of a route naming such a Gateway selects listeners by {@code sectionName}
 *       and {@code port} ({@code NoMatchingParent} if none); those that allow the route's kind and
 *       namespace ({@code NotAllowedByListeners} if none) and share a hostname with it ({@code
 *       NoMatchingListenerHostname} if none) take it. {@code ResolvedRefs} is computed for every
 *       parent, accepted or not.
 * </ol>
 */
public final class GatewayAttachment {

  /**
   * What attachment gives.
   *
   * @param status the status of every object Portico manages
   * @param listeners the listeners Portico serves, by Gateway then spec order
   * @param attachments each accepted route on each listener that took it, in route order
   */
  public record Result(
      GatewayApiStatus status, List<ServedListener> listeners, List<Attachment> attachments) {

    public Result {
      requireNonNull(status, "status");
      listeners = List.copyOf(listeners);
      attachments = List.copyOf(attachments);
    }
  }

  private static final Set<GroupKind> ROUTE_KINDS =
      Set.of(GroupKind.HTTP_ROUTE, GroupKind.GRPC_ROUTE);
  private static final Set<String> PROTOCOLS = Set.of(GatewayApi.HTTP, GatewayApi.HTTPS);

  private final GatewayReferences references;
  private final GatewaySettings settings;
  private final ReferenceGrants grants;
  private final BackendChecks backends;

  private GatewayAttachment(
      GatewayReferences references, GatewaySettings settings, List<ReferenceGrantView> grants) {
    this.references = references;
    this.settings = settings;
    this.grants = new ReferenceGrants(grants);
    this.backends = new BackendChecks(this.grants, references);
  }

  /**
   * Attaches everything.
   *
   * @param classes every GatewayClass read
   * @param gateways every Gateway read
   * @param routes every HTTPRoute and GRPCRoute read, in any order
   * @param grants every ReferenceGrant read
   */
  public static Result attach(
      List<GatewayClassView> classes,
      List<GatewayView> gateways,
      List<RouteView> routes,
      List<ReferenceGrantView> grants,
      GatewayReferences references,
      GatewaySettings settings) {
    return new GatewayAttachment(
            requireNonNull(references, "references"), requireNonNull(settings, "settings"), grants)
        .run(classes, gateways, routes);
  }

  private Result run(
      List<GatewayClassView> classes, List<GatewayView> gateways, List<RouteView> routes) {
    List<ClassStatus> classStatuses = new ArrayList<>();
    Set<String> ownClasses = new TreeSet<>();
    for (GatewayClassView gatewayClass :
        classes.stream().sorted(Comparator.comparing(GatewayClassView::name)).toList()) {
      if (gatewayClass.controllerName().equals(settings.controllerName())) {
        ownClasses.add(gatewayClass.name());
        classStatuses.add(classStatus(gatewayClass));
      }
    }
    List<GatewayView> own =
        gateways.stream()
            .filter(g -> ownClasses.contains(g.className()))
            .sorted(Comparator.comparing(g -> g.facts().key()))
            .toList();
    Map<ObjectKey, List<ListenerState>> listeners = new LinkedHashMap<>();
    for (GatewayView gateway : own) {
      List<ListenerState> states = new ArrayList<>();
      boolean refused = gatewayRefusal(gateway).isPresent();
      for (ListenerView listener : gateway.listeners()) {
        ListenerState state = listener(gateway, listener);
        state.gatewayAccepted = !refused;
        states.add(state);
      }
      listeners.put(gateway.facts().key(), states);
    }
    markProtocolConflicts(listeners.values());

    List<RouteStatus> routeStatuses = new ArrayList<>();
    List<Attachment> attachments = new ArrayList<>();
    Map<ObjectKey, GatewayView> ownByKey = new HashMap<>();
    own.forEach(g -> ownByKey.put(g.facts().key(), g));
    List<RouteView> ordered =
        routes.stream()
            .sorted(
                Comparator.comparing((RouteView r) -> r.kind().kind())
                    .thenComparing(r -> r.facts().key()))
            .toList();
    for (RouteView route : ordered) {
      List<ParentStatus> parents = new ArrayList<>();
      Condition resolved = resolvedRefs(route);
      List<String> dropped = new ArrayList<>();
      for (int r = 0; r < route.rules().size(); r++) {
        int index = r;
        GatewayRoutes.unsupported(route.rules().get(r))
            .ifPresent(problem -> dropped.add("spec.rules[" + index + "]: " + problem));
      }
      boolean noRuleLeft = !route.rules().isEmpty() && dropped.size() == route.rules().size();
      List<String> unserved = UnservedValues.of(route);
      for (ParentRef ref : route.parentRefs()) {
        if (!ref.isGateway()) {
          continue;
        }
        ObjectKey gatewayKey = ref.key(route.namespace());
        GatewayView gateway = ownByKey.get(gatewayKey);
        if (gateway == null) {
          continue;
        }
        List<Condition> conditions = new ArrayList<>();
        long generation = route.facts().generation();
        if (!unserved.isEmpty()) {
          conditions.add(
              Condition.isFalse(
                  Type.ACCEPTED,
                  Reason.UNSUPPORTED_VALUE,
                  "Portico cannot serve: " + String.join("; ", unserved),
                  generation));
        } else if (noRuleLeft) {
          conditions.add(
              Condition.isFalse(
                  Type.ACCEPTED,
                  Reason.UNSUPPORTED_VALUE,
                  "no rule can be served: " + String.join("; ", dropped),
                  generation));
        } else {
          conditions.add(
              attachToParent(
                  route, ref, listeners.getOrDefault(gatewayKey, List.of()), attachments));
        }
        conditions.add(resolved);
        if (!dropped.isEmpty() && !noRuleLeft && unserved.isEmpty()) {
          conditions.add(
              Condition.isTrue(
                  Type.PARTIALLY_INVALID,
                  Reason.UNSUPPORTED_VALUE,
                  "Dropped Rule(s): " + String.join("; ", dropped),
                  generation));
        }
        parents.add(
            new ParentStatus(
                ref.withNamespace(route.namespace()), settings.controllerName(), conditions));
      }
      if (!parents.isEmpty()) {
        routeStatuses.add(
            new RouteStatus(
                route.kind(), route.facts().key(), route.facts().generation(), parents));
      }
    }

    List<GatewayStatus> gatewayStatuses = new ArrayList<>();
    List<ServedListener> served = new ArrayList<>();
    for (GatewayView gateway : own) {
      List<ListenerState> states = listeners.getOrDefault(gateway.facts().key(), List.of());
      gatewayStatuses.add(gatewayStatus(gateway, states));
      for (ListenerState state : states) {
        if (state.programmed() && state.local != null) {
          served.add(servedListener(state));
        }
      }
    }
    return new Result(
        new GatewayApiStatus(classStatuses, gatewayStatuses, routeStatuses), served, attachments);
  }

  private ClassStatus classStatus(GatewayClassView gatewayClass) {
    long generation = gatewayClass.facts().generation();
    List<Condition> conditions = new ArrayList<>();
    if (gatewayClass.parametersRef().isPresent()) {
      conditions.add(
          Condition.isFalse(
              Type.ACCEPTED,
              Reason.INVALID_PARAMETERS,
              "spec.parametersRef: Portico takes no parameters (expected: none)",
              generation));
    } else {
      conditions.add(
          Condition.isTrue(
              Type.ACCEPTED, Reason.ACCEPTED, "Portico serves this class", generation));
    }
    conditions.add(supportedVersion(generation));
    return new ClassStatus(
        gatewayClass.name(), generation, conditions, settings.supportedFeatures());
  }

  private Condition supportedVersion(long generation) {
    Map<String, String> versions = new java.util.TreeMap<>(settings.crdBundleVersions());
    List<String> unsupported = new ArrayList<>();
    versions.forEach(
        (crd, version) -> {
          if (!version.startsWith("v1.6.")) {
            unsupported.add(crd + " " + (version.isEmpty() ? "(no bundle-version)" : version));
          }
        });
    if (unsupported.isEmpty()) {
      return Condition.isTrue(
          Type.SUPPORTED_VERSION,
          Reason.SUPPORTED_VERSION,
          "Portico implements Gateway API " + GatewayApi.BUNDLE_VERSION,
          generation);
    }
    return Condition.isFalse(
        Type.SUPPORTED_VERSION,
        "UnsupportedVersion",
        "CRDs "
            + String.join(", ", unsupported)
            + " (expected: bundle-version v1.6.x; Portico implements "
            + GatewayApi.BUNDLE_VERSION
            + ")",
        generation);
  }

  private ListenerState listener(GatewayView gateway, ListenerView listener) {
    ListenerState state = new ListenerState(gateway, listener);
    String protocol = listener.protocol();
    if (!PROTOCOLS.contains(protocol)) {
      state.refuse(
          Reason.UNSUPPORTED_PROTOCOL, "protocol " + protocol + " (expected: HTTP or HTTPS)");
      return state;
    }
    Optional<LocalPort> local = settings.ports().localFor(gateway.facts().key(), listener.port());
    if (local.isEmpty()) {
      state.refuse(
          Reason.PORT_UNAVAILABLE,
          "port "
              + listener.port()
              + " has no local port (expected: one of "
              + settings.ports().describeShared()
              + ", or a port mapped by --gateway-listener-ports)");
    } else if (local.get().fixedProtocol() != null
        && !local.get().fixedProtocol().equals(protocol)) {
      state.refuse(
          Reason.PORT_UNAVAILABLE,
          "port "
              + listener.port()
              + " is served by "
              + local.get()
              + ", which speaks "
              + local.get().fixedProtocol()
              + " (expected: protocol "
              + local.get().fixedProtocol()
              + " on this port, or another port mapping)");
    } else {
      state.local = local.get();
    }
    routeKinds(state);
    if (state.isHttps()) {
      certificates(state);
    }
    return state;
  }

  private static void routeKinds(ListenerState state) {
    List<GroupKind> written = state.listener.allowedRoutes().kinds();
    if (written.isEmpty()) {
      state.kinds = List.of(GroupKind.HTTP_ROUTE, GroupKind.GRPC_ROUTE);
      return;
    }
    List<GroupKind> kinds = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (GroupKind kind : written) {
      if (ROUTE_KINDS.contains(kind)) {
        if (!kinds.contains(kind)) {
          kinds.add(kind);
        }
      } else {
        invalid.add(kind.toString());
      }
    }
    state.kinds = kinds;
    if (!invalid.isEmpty()) {
      state.kindsProblem =
          "allowedRoutes.kinds: "
              + String.join(", ", invalid)
              + " (expected: HTTPRoute or GRPCRoute)";
    }
  }

  private void certificates(ListenerState state) {
    Optional<ListenerView.Tls> tls = state.listener.tls();
    if (tls.isEmpty() || tls.get().certificateRefs().isEmpty()) {
      state.certificateReason = Reason.INVALID_CERTIFICATE_REF;
      state.certificateProblem = "tls.certificateRefs: none (expected: a Secret for HTTPS)";
      return;
    }
    String namespace = state.gateway.namespace();
    List<TargetRef> refs = tls.get().certificateRefs();
    for (int i = 0; i < refs.size(); i++) {
      TargetRef ref = refs.get(i);
      String field = "tls.certificateRefs[" + i + "]: ";
      String reason = null;
      String problem = null;
      if (!ref.is(GatewayApi.CORE_GROUP, GatewayApi.SECRET)) {
        reason = Reason.INVALID_CERTIFICATE_REF;
        problem = field + ref.describe(namespace) + " (expected: a Secret of the core group)";
      } else if (!grants.permits(GatewayApi.GATEWAY, namespace, ref)) {
        reason = Reason.REF_NOT_PERMITTED;
        problem =
            field
                + ref.describe(namespace)
                + " is in another namespace (expected: a ReferenceGrant there for Gateways of "
                + namespace
                + ")";
      } else {
        Optional<String> unusable = references.certificateProblem(ref.key(namespace));
        if (unusable.isPresent()) {
          reason = Reason.INVALID_CERTIFICATE_REF;
          problem = field + ref.describe(namespace) + ": " + unusable.get();
        }
      }
      if (reason == null) {
        state.certificates.add(ref.key(namespace));
      } else if (state.certificateReason == null) {
        state.certificateReason = reason;
        state.certificateProblem = problem;
      }
    }
  }

  /** Listeners on one opened local port must share a protocol; all of them are refused if not. */
  private static void markProtocolConflicts(Iterable<List<ListenerState>> all) {
    Map<LocalPort, List<ListenerState>> byPort = new HashMap<>();
    for (List<ListenerState> states : all) {
      for (ListenerState state : states) {
        if (state.accepted && state.local instanceof LocalPort.Opened) {
          byPort.computeIfAbsent(state.local, p -> new ArrayList<>()).add(state);
        }
      }
    }
    for (Map.Entry<LocalPort, List<ListenerState>> port : byPort.entrySet()) {
      Set<String> protocols = new TreeSet<>();
      port.getValue().forEach(s -> protocols.add(s.listener.protocol()));
      if (protocols.size() > 1) {
        for (ListenerState state : port.getValue()) {
          state.conflicted = true;
          state.refuse(
              Reason.PROTOCOL_CONFLICT,
              port.getKey()
                  + " serves listeners of protocols "
                  + protocols
                  + " (expected: one protocol per local port)");
          state.local = null;
        }
      }
    }
  }

  private Condition attachToParent(
      RouteView route, ParentRef ref, List<ListenerState> listeners, List<Attachment> out) {
    long generation = route.facts().generation();
    List<ListenerState> selected = new ArrayList<>();
    for (ListenerState state : listeners) {
      if (ref.sectionName().isPresent() && !ref.sectionName().get().equals(state.listener.name())) {
        continue;
      }
      if (ref.port().isPresent() && ref.port().get() != state.listener.port()) {
        continue;
      }
      selected.add(state);
    }
    if (selected.isEmpty()) {
      return Condition.isFalse(
          Type.ACCEPTED,
          Reason.NO_MATCHING_PARENT,
          "parentRef "
              + ref
              + ": the Gateway has no such listener (expected: a listener with that sectionName"
              + " and port)",
          generation);
    }
    List<ListenerState> allowing = new ArrayList<>();
    for (ListenerState state : selected) {
      if (state.kinds.contains(route.kind()) && namespaceAllowed(state, route.namespace())) {
        allowing.add(state);
      }
    }
    if (allowing.isEmpty()) {
      return Condition.isFalse(
          Type.ACCEPTED,
          Reason.NOT_ALLOWED_BY_LISTENERS,
          route.kind().kind()
              + "s of namespace "
              + route.namespace()
              + " are not allowed by the listeners "
              + names(selected),
          generation);
    }
    boolean attached = false;
    for (ListenerState state : allowing) {
      Optional<List<Hostname>> hostnames = intersect(state.listener.hostname(), route.hostnames());
      if (hostnames.isEmpty()) {
        continue;
      }
      attached = true;
      state.attachedRoutes++;
      if (state.local != null && state.programmed()) {
        out.add(new Attachment(route, servedListener(state), hostnames.get()));
      }
    }
    if (!attached) {
      return Condition.isFalse(
          Type.ACCEPTED,
          Reason.NO_MATCHING_LISTENER_HOSTNAME,
          "hostnames " + route.hostnames() + " share no name with the listeners " + names(allowing),
          generation);
    }
    return Condition.isTrue(
        Type.ACCEPTED,
        Reason.ACCEPTED,
        "attached to Gateway " + ref.key(route.namespace()),
        generation);
  }

  private boolean namespaceAllowed(ListenerState state, String routeNamespace) {
    AllowedRoutes allowed = state.listener.allowedRoutes();
    return switch (allowed.from()) {
      case ALL -> true;
      case SAME -> routeNamespace.equals(state.gateway.namespace());
      case SELECTOR ->
          allowed.selector().isPresent()
              && allowed.selector().get().matches(references.namespaceLabels(routeNamespace));
    };
  }

  /**
   * The names a route serves through a listener: empty when neither names any (every name); the
   * listener's name or the route's, whichever is more specific, for each pair that meets; nothing
   * when none does.
   */
  static Optional<List<Hostname>> intersect(Optional<Hostname> listener, List<Hostname> route) {
    if (route.isEmpty()) {
      return Optional.of(listener.map(List::of).orElse(List.of()));
    }
    if (listener.isEmpty()) {
      return Optional.of(route);
    }
    List<Hostname> out = new ArrayList<>();
    for (Hostname hostname : route) {
      listener.get().intersect(hostname).filter(h -> !out.contains(h)).ifPresent(out::add);
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }

  private Condition resolvedRefs(RouteView route) {
    long generation = route.facts().generation();
    for (int r = 0; r < route.rules().size(); r++) {
      RouteRule rule = route.rules().get(r);
      for (int b = 0; b < rule.backendRefs().size(); b++) {
        Optional<Condition> problem =
            backends.problem(
                route,
                rule.backendRefs().get(b).ref(),
                "spec.rules[" + r + "].backendRefs[" + b + "]: ");
        if (problem.isPresent()) {
          return problem.get();
        }
      }
      Optional<Condition> mirror =
          mirrorProblem(route, "spec.rules[" + r + "].filters", rule.filters());
      for (int b = 0; b < rule.backendRefs().size() && mirror.isEmpty(); b++) {
        mirror =
            mirrorProblem(
                route,
                "spec.rules[" + r + "].backendRefs[" + b + "].filters",
                rule.backendRefs().get(b).filters());
      }
      if (mirror.isPresent()) {
        return mirror.get();
      }
    }
    return Condition.isTrue(
        Type.RESOLVED_REFS, Reason.RESOLVED_REFS, "every backend reference resolves", generation);
  }

  /** The first problem of the backends of the list's RequestMirror filters, if any. */
  private Optional<Condition> mirrorProblem(
      RouteView route, String field, List<RouteFilter> filters) {
    for (int i = 0; i < filters.size(); i++) {
      if (filters.get(i) instanceof RouteFilter.RequestMirror mirror && mirror.numerator() > 0) {
        Optional<Condition> problem =
            backends.problem(
                route, mirror.backend(), field + "[" + i + "].requestMirror.backendRef: ");
        if (problem.isPresent()) {
          return problem;
        }
      }
    }
    return Optional.empty();
  }

  private GatewayStatus gatewayStatus(GatewayView gateway, List<ListenerState> states) {
    long generation = gateway.facts().generation();
    List<Condition> conditions = new ArrayList<>();
    long valid = states.stream().filter(s -> s.accepted).count();
    Condition accepted;
    Optional<Condition> refusal = gatewayRefusal(gateway);
    if (refusal.isPresent()) {
      accepted = refusal.get();
    } else if (valid == 0) {
      accepted =
          Condition.isFalse(
              Type.ACCEPTED, Reason.LISTENERS_NOT_VALID, "no listener is valid", generation);
    } else if (valid < states.size()) {
      accepted =
          Condition.isTrue(
              Type.ACCEPTED,
              Reason.LISTENERS_NOT_VALID,
              (states.size() - valid) + " of " + states.size() + " listeners are not valid",
              generation);
    } else {
      accepted =
          Condition.isTrue(Type.ACCEPTED, Reason.ACCEPTED, "the Gateway is valid", generation);
    }
    conditions.add(accepted);
    Optional<String> unusable = unusableAddress(gateway);
    if (!accepted.holds()) {
      conditions.add(
          Condition.isFalse(
              Type.PROGRAMMED, Reason.INVALID, "the Gateway is not accepted", generation));
    } else if (unusable.isPresent()) {
      conditions.add(
          Condition.isFalse(Type.PROGRAMMED, "AddressNotUsable", unusable.get(), generation));
    } else {
      conditions.add(
          Condition.isTrue(
              Type.PROGRAMMED, Reason.PROGRAMMED, "served by Portico's listeners", generation));
    }
    List<ListenerStatus> listeners = new ArrayList<>();
    for (ListenerState state : states) {
      listeners.add(listenerStatus(state, generation));
    }
    return new GatewayStatus(
        gateway.facts().key(), generation, conditions, settings.addresses(), listeners);
  }

  /** Why the Gateway as a whole is refused, whatever its listeners. */
  private static Optional<Condition> gatewayRefusal(GatewayView gateway) {
    long generation = gateway.facts().generation();
    if (gateway.infrastructureParametersRef().isPresent()) {
      return Optional.of(
          Condition.isFalse(
              Type.ACCEPTED,
              Reason.INVALID_PARAMETERS,
              "spec.infrastructure.parametersRef: Portico takes no parameters (expected: none)",
              generation));
    }
    return unsupportedAddress(gateway)
        .map(
            problem ->
                Condition.isFalse(Type.ACCEPTED, Reason.UNSUPPORTED_ADDRESS, problem, generation));
  }

  private static Optional<String> unsupportedAddress(GatewayView gateway) {
    for (int i = 0; i < gateway.addresses().size(); i++) {
      String type = gateway.addresses().get(i).type();
      if (!type.equals("IPAddress") && !type.equals("Hostname")) {
        return Optional.of(
            "spec.addresses[" + i + "].type: " + type + " (expected: IPAddress or Hostname)");
      }
    }
    return Optional.empty();
  }

  private Optional<String> unusableAddress(GatewayView gateway) {
    for (int i = 0; i < gateway.addresses().size(); i++) {
      GatewayView.Address address = gateway.addresses().get(i);
      if (!address.value().isEmpty() && !settings.addresses().contains(address)) {
        return Optional.of(
            "spec.addresses["
                + i
                + "]: "
                + address.value()
                + " (expected: one of Portico's addresses "
                + settings.addresses().stream().map(GatewayView.Address::value).toList()
                + ")");
      }
    }
    return Optional.empty();
  }

  private static ListenerStatus listenerStatus(ListenerState state, long generation) {
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        state.accepted
            ? Condition.isTrue(Type.ACCEPTED, Reason.ACCEPTED, state.acceptedMessage, generation)
            : Condition.isFalse(
                Type.ACCEPTED, state.acceptedReason, state.acceptedMessage, generation));
    if (state.programmed()) {
      conditions.add(
          Condition.isTrue(
              Type.PROGRAMMED, Reason.PROGRAMMED, "served on " + state.local, generation));
    } else {
      conditions.add(
          Condition.isFalse(
              Type.PROGRAMMED,
              Reason.INVALID,
              !state.gatewayAccepted
                  ? "the Gateway is not accepted"
                  : state.accepted ? "no usable certificate" : "the listener is not accepted",
              generation));
    }
    if (state.kindsProblem != null) {
      conditions.add(
          Condition.isFalse(
              Type.RESOLVED_REFS, Reason.INVALID_ROUTE_KINDS, state.kindsProblem, generation));
    } else if (state.certificateReason != null) {
      conditions.add(
          Condition.isFalse(
              Type.RESOLVED_REFS,
              state.certificateReason,
              java.util.Objects.requireNonNullElse(
                  state.certificateProblem, state.certificateReason),
              generation));
    } else {
      conditions.add(
          Condition.isTrue(
              Type.RESOLVED_REFS, Reason.RESOLVED_REFS, "every reference resolves", generation));
    }
    if (state.conflicted) {
      conditions.add(
          Condition.isTrue(
              Type.CONFLICTED, Reason.PROTOCOL_CONFLICT, state.acceptedMessage, generation));
    }
    boolean served = PROTOCOLS.contains(state.listener.protocol());
    return new ListenerStatus(
        state.listener.name(), served ? state.kinds : List.of(), state.attachedRoutes, conditions);
  }

  private static ServedListener servedListener(ListenerState state) {
    return new ServedListener(
        state.gateway.facts().key(),
        state.listener,
        requireNonNull(state.local, "local: a served listener has a local port"),
        state.certificates);
  }

  private static String names(List<ListenerState> states) {
    return states.stream().map(s -> s.listener.name()).toList().toString();
  }
}
