package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.router.route.GatewayRule;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.ListenerKey;
import io.portico.router.route.ListenerRoutes;
import io.portico.router.route.Route;
import io.portico.router.route.RouteTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The warnings of the hand-over between Ingress and Gateway API rules on Portico's HTTP and HTTPS
 * listeners: an Ingress whose host gives up a name on one of them, because a Gateway API route
 * serves that name there with a host name at least as specific (see {@link
 * RouteTable#match(ListenerKey, String, String, io.portico.router.route.RequestAttributes)}), is
 * told which route took it. When the route goes, the warning goes and the name comes back.
 */
final class IngressHandOver {

  private IngressHandOver() {}

  static List<Finding> findings(RouteTable table) {
    List<Finding> findings = new ArrayList<>();
    for (ListenerKey listener : List.of(ListenerKey.HTTP, ListenerKey.HTTPS)) {
      ListenerRoutes routes = table.listenerRoutes(listener);
      if (routes == null) {
        continue;
      }
      // The host names Gateway API rules serve here, each with the first rule serving it.
      Map<String, String> claims = new LinkedHashMap<>();
      for (ListenerRoutes.Group group : routes.groups()) {
        for (GatewayRule rule : group.rules()) {
          String name = rule.hostname().isEmpty() ? group.hostname() : rule.hostname();
          claims.putIfAbsent(name, rule.source());
        }
      }
      // One warning per Ingress and host.
      Map<String, Set<String>> taken = new LinkedHashMap<>();
      Map<String, Route> examples = new LinkedHashMap<>();
      for (Route route : table.routes()) {
        String key = route.origin() + " " + route.host();
        examples.putIfAbsent(key, route);
        for (Map.Entry<String, String> claim : claims.entrySet()) {
          if (gives(route.host(), claim.getKey())) {
            taken.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(claim.getValue());
          }
        }
      }
      taken.forEach(
          (key, sources) -> {
            Route route = requireNonNull(examples.get(key), "an example of each taken host");
            findings.add(
                Finding.warning(
                    ObjectRef.ingress(
                        new io.portico.controller.snapshot.ObjectKey(
                            route.origin().namespace(), route.origin().name())),
                    "HostServedByGatewayApi",
                    "host "
                        + (route.host().kind() == HostnamePattern.Kind.ANY
                            ? "(any)"
                            : route.host().value())
                        + " on the "
                        + (listener == ListenerKey.HTTP ? "HTTP" : "HTTPS")
                        + " listener: "
                        + String.join(", ", sources)
                        + (sources.size() == 1 ? " serves" : " serve")
                        + " it there, so this Ingress's rules for it do not; deleting the route"
                        + " gives it back"));
          });
    }
    return findings;
  }

  /**
   * Whether the Ingress host pattern gives up at least one name to a Gateway API rule serving
   * {@code claimed} ({@code ""}: every name): the rule's host name covers a name the pattern covers
   * and is at least as specific.
   */
  static boolean gives(HostnamePattern ingress, String claimed) {
    return switch (ingress.kind()) {
      case ANY -> true;
      case EXACT -> claimed.equals(ingress.value());
      case WILDCARD -> {
        String domain = ingress.wildcardDomain();
        if (claimed.equals(ingress.value())) {
          yield true;
        }
        // A name one label below the Ingress wildcard's domain.
        yield !claimed.startsWith("*.")
            && claimed.endsWith("." + domain)
            && claimed.indexOf('.') == claimed.length() - domain.length() - 1;
      }
    };
  }
}
