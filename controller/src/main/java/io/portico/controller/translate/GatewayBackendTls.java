package io.portico.controller.translate;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.portico.controller.gateway.BackendTlsPolicies;
import io.portico.controller.gateway.BackendTlsPolicies.ServicePortUse;
import io.portico.controller.gateway.Condition;
import io.portico.controller.gateway.GatewayApiStatus;
import io.portico.controller.gateway.GatewayRoutes;
import io.portico.controller.gateway.ServedListener;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.router.route.BackendId;
import io.portico.router.route.BackendProtocol;
import io.portico.router.route.BackendTls;
import io.portico.router.route.GatewayRule;
import io.portico.router.route.ListenerRoutes;
import io.portico.router.route.Route;
import io.portico.router.route.UpstreamSettings;
import io.portico.router.route.WeightedRoute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Where BackendTLSPolicies meet the Gateway API rules: which Service ports the routes of which
 * Gateways send to ({@link #uses}), and the rules' routes to those ports made to speak TLS as their
 * policy says ({@link #apply}): HTTPS for HTTPRoutes, HTTP/2 over TLS for GRPCRoutes, the backend's
 * certificate always verified, its hostname sent by SNI. Routes to other Service ports are left as
 * they are, the same instances.
 */
final class GatewayBackendTls {

  /** A Gateway backend's chain has no depth limit in the specification; this is only a bound. */
  private static final int VERIFY_DEPTH = 10;

  private static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

  private GatewayBackendTls() {}

  /**
   * The Service ports the rules send to (mirrors left out: their copies go over plain HTTP/1.1),
   * each with the Gateways whose listeners serve those rules and that accepted the route.
   */
  static Map<ServicePortUse, Set<ObjectKey>> uses(
      GatewayRoutes routes, GatewayApiStatus status, ClusterSnapshot snapshot) {
    Map<String, Set<ObjectKey>> acceptedBy = new HashMap<>();
    for (GatewayApiStatus.RouteStatus route : status.routes()) {
      Set<ObjectKey> gateways = new HashSet<>();
      for (GatewayApiStatus.ParentStatus parent : route.parents()) {
        boolean accepted =
            parent.conditions().stream()
                .anyMatch(c -> c.type().equals("Accepted") && c.status() == Condition.Status.TRUE);
        if (accepted && parent.parentRef().kind().equals("Gateway")) {
          gateways.add(
              new ObjectKey(
                  parent.parentRef().namespace().orElse(route.key().namespace()),
                  parent.parentRef().name()));
        }
      }
      acceptedBy.put(route.kind().kind() + "/" + route.key(), gateways);
    }
    Map<ServicePortUse, Set<ObjectKey>> uses = new LinkedHashMap<>();
    for (GatewayRoutes.PortRoutes port : routes.ports()) {
      for (GatewayRoutes.ListenerRoutes listeners : port.listeners()) {
        Set<ObjectKey> served = new TreeSet<>();
        for (ServedListener listener : listeners.listeners()) {
          served.add(listener.gateway());
        }
        for (GatewayRoutes.RuleEntry entry : listeners.entries()) {
          Set<ObjectKey> gateways = new TreeSet<>(served);
          Set<ObjectKey> accepted =
              acceptedBy.getOrDefault(
                  entry.origin().kind().kind() + "/" + entry.origin().route().key(), Set.of());
          if (!accepted.isEmpty()) {
            gateways.retainAll(accepted);
          }
          for (GatewayRoutes.WeightedBackend backend : entry.backends()) {
            if (backend.target() instanceof GatewayRoutes.BackendTarget.ServicePort service) {
              ServicePortUse use =
                  new ServicePortUse(
                      service.service(),
                      service.port(),
                      portName(snapshot.service(service.service()), service.port()));
              uses.computeIfAbsent(use, u -> new TreeSet<>()).addAll(gateways);
            }
          }
        }
      }
    }
    return uses;
  }

  private static String portName(@Nullable Service service, int port) {
    if (service == null || service.getSpec() == null || service.getSpec().getPorts() == null) {
      return "";
    }
    for (ServicePort candidate : service.getSpec().getPorts()) {
      if (candidate.getPort() != null && candidate.getPort() == port) {
        return candidate.getName() == null ? "" : candidate.getName();
      }
    }
    return "";
  }

  /** The listeners' rules, those to a Service port with a policy speaking TLS as it says. */
  static List<ListenerRoutes> apply(
      List<ListenerRoutes> listeners,
      Map<ServicePortUse, BackendTlsPolicies.Validation> validations) {
    if (validations.isEmpty()) {
      return listeners;
    }
    Map<BackendId, BackendTls> byBackend = new HashMap<>();
    validations.forEach(
        (use, validation) ->
            byBackend.put(
                new BackendId(
                    use.service().namespace(), use.service().name(), String.valueOf(use.port())),
                tls(validation)));
    List<ListenerRoutes> out = new ArrayList<>();
    for (ListenerRoutes listener : listeners) {
      List<ListenerRoutes.Group> groups = new ArrayList<>();
      for (ListenerRoutes.Group group : listener.groups()) {
        List<GatewayRule> rules = new ArrayList<>();
        for (GatewayRule rule : group.rules()) {
          List<WeightedRoute> backends = new ArrayList<>();
          for (WeightedRoute backend : rule.backends()) {
            BackendTls tls = byBackend.get(backend.route().backend().id());
            backends.add(
                tls == null
                    ? backend
                    : new WeightedRoute(backend.weight(), withTls(backend.route(), tls)));
          }
          rules.add(new GatewayRule(rule.hostname(), rule.conditions(), backends, rule.source()));
        }
        groups.add(new ListenerRoutes.Group(group.hostname(), rules));
      }
      out.add(new ListenerRoutes(listener.key(), listener.tls(), listener.certificates(), groups));
    }
    return out;
  }

  private static Route withTls(Route route, BackendTls tls) {
    UpstreamSettings upstream = route.upstream();
    BackendProtocol protocol =
        upstream.protocol().http2() ? BackendProtocol.GRPCS : BackendProtocol.HTTPS;
    return route.withUpstream(UpstreamSettings.of(upstream.withProtocol(protocol, tls)));
  }

  private static BackendTls tls(BackendTlsPolicies.Validation validation) {
    List<BackendTls.SubjectAltName> names = new ArrayList<>();
    for (Map.Entry<String, String> name : validation.subjectAltNames()) {
      names.add(
          new BackendTls.SubjectAltName(
              name.getKey().equals("URI")
                  ? BackendTls.SubjectAltName.Type.URI
                  : BackendTls.SubjectAltName.Type.DNS,
              name.getValue()));
    }
    return new BackendTls(
        validation.caPem(),
        "",
        "",
        true,
        VERIFY_DEPTH,
        validation.hostname(),
        true,
        PROTOCOLS,
        List.of(),
        validation.systemTrust(),
        names);
  }
}
