package io.portico.controller.translate;

import io.portico.controller.snapshot.ObjectKey;
import io.portico.router.route.GatewayRule;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.ListenerKey;
import io.portico.router.route.ListenerRoutes;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import java.util.ArrayList;
import java.util.HashMap;
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
      Map<String, String> claimed = new LinkedHashMap<>();
      for (ListenerRoutes.Group group : routes.groups()) {
        for (GatewayRule rule : group.rules()) {
          String name = rule.hostname().isEmpty() ? group.hostname() : rule.hostname();
          claimed.putIfAbsent(name, rule.source());
        }
      }
      Claims claims = new Claims(claimed);
      // Host by host, unordered (the findings are sorted at the end of the translation): every
      // rule of a host gives up the same names, so each host is looked up once, and each Ingress
      // with rules for it is told once.
      table.forEachHost(
          (host, rules) -> {
            List<String> sources = rules.isEmpty() ? List.of() : claims.takenFrom(host);
            if (sources.isEmpty()) {
              return;
            }
            Set<RouteOrigin> ingresses = new LinkedHashSet<>();
            rules.forEach(rule -> ingresses.add(rule.origin()));
            for (RouteOrigin ingress : ingresses) {
              findings.add(handedOver(ingress, host, listener, sources));
            }
          });
    }
    return findings;
  }

  private static Finding handedOver(
      RouteOrigin ingress, HostnamePattern host, ListenerKey listener, List<String> sources) {
    return Finding.warning(
        ObjectRef.ingress(new ObjectKey(ingress.namespace(), ingress.name())),
        "HostServedByGatewayApi",
        "host "
            + (host.kind() == HostnamePattern.Kind.ANY ? "(any)" : host.value())
            + " on the "
            + (listener == ListenerKey.HTTP ? "HTTP" : "HTTPS")
            + " listener: "
            + String.join(", ", sources)
            + (sources.size() == 1 ? " serves" : " serve")
            + " it there, so this Ingress's rules for it do not; deleting the route"
            + " gives it back");
  }

  /**
   * The claimed host names indexed by how an Ingress host pattern can give them up, so that each
   * Ingress host looks up its few candidates instead of testing every claim: thousands of routes on
   * each side made that scan the bulk of a translation.
   */
  static final class Claims {

    // Claimed names and the rule of each, in the order the rules came.
    private final List<String> names = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();
    // Each name's position, and the exact names by the domain one label above them.
    private final Map<String, Integer> positions = new HashMap<>();
    private final Map<String, List<Integer>> exactByParent = new HashMap<>();

    Claims(Map<String, String> claimed) {
      claimed.forEach(
          (name, source) -> {
            int position = names.size();
            names.add(name);
            sources.add(source);
            positions.put(name, position);
            int dot = name.indexOf('.');
            if (!name.startsWith("*.") && dot > 0) {
              exactByParent
                  .computeIfAbsent(name.substring(dot + 1), d -> new ArrayList<>())
                  .add(position);
            }
          });
    }

    /** The rules that take a name from {@code ingress}, in the order the rules came. */
    List<String> takenFrom(HostnamePattern ingress) {
      List<Integer> found =
          switch (ingress.kind()) {
            case ANY -> allPositions();
            case EXACT -> positionOf(ingress.value());
            case WILDCARD -> {
              List<Integer> all = new ArrayList<>(positionOf(ingress.value()));
              all.addAll(exactByParent.getOrDefault(ingress.wildcardDomain(), List.of()));
              yield all;
            }
          };
      if (found.isEmpty()) {
        return List.of();
      }
      List<String> taken = new ArrayList<>(found.size());
      found.stream().sorted().forEach(position -> taken.add(sources.get(position)));
      return taken;
    }

    private List<Integer> positionOf(String name) {
      Integer position = positions.get(name);
      return position == null ? List.of() : List.of(position);
    }

    private List<Integer> allPositions() {
      List<Integer> all = new ArrayList<>(names.size());
      for (int i = 0; i < names.size(); i++) {
        all.add(i);
      }
      return all;
    }
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
