package io.portico.router.route;

import io.portico.router.balance.SmoothWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The lookup structures of one {@link ListenerRoutes}: groups by listener hostname, and within a
 * group the rules by the host name they serve, each with its upstreams resolved and its weighted
 * choice. Immutable but for the choices' positions.
 */
final class ListenerTable {

  /** A rule ready to serve: its conditions, and a target per backend. */
  private static final class Rule {
    final RequestConditions conditions;
    final RouteTarget[] targets;
    // Null for a single backend.
    final @Nullable SmoothWeights choice;

    Rule(GatewayRule rule, Function<Backend, Upstream> upstreams) {
      this.conditions = rule.conditions();
      List<WeightedRoute> backends = rule.backends();
      this.targets = new RouteTarget[backends.size()];
      int[] weights = new int[backends.size()];
      for (int i = 0; i < targets.length; i++) {
        Route route = backends.get(i).route();
        Upstream mirror = route.mirror().map(m -> upstreams.apply(m.backend())).orElse(null);
        targets[i] =
            new RouteTarget(
                route, upstreams.apply(route.backend()), false, List.of(), mirror, null);
        weights[i] = backends.get(i).weight();
      }
      this.choice = targets.length == 1 ? null : SmoothWeights.of(weights);
    }

    RouteTarget target() {
      return choice == null ? targets[0] : targets[choice.next()];
    }
  }

  /** The rules of one listener hostname, by the host name each serves. */
  private static final class Group {
    final HostIndex<Rule[]> rules = new HostIndex<>();
  }

  /** A host's group and how specific the rules covering the host are there. */
  record Selection(Group group, long rank) {}

  private final ListenerRoutes routes;
  private final HostIndex<Group> groups = new HostIndex<>();
  private final List<Upstream> upstreams = new ArrayList<>();

  ListenerTable(ListenerRoutes routes, Function<Backend, Upstream> upstreams) {
    this.routes = routes;
    Function<Backend, Upstream> recording =
        backend -> {
          Upstream upstream = upstreams.apply(backend);
          this.upstreams.add(upstream);
          return upstream;
        };
    for (ListenerRoutes.Group spec : routes.groups()) {
      Group group = new Group();
      Map<String, List<Rule>> byHost = new LinkedHashMap<>();
      for (GatewayRule rule : spec.rules()) {
        byHost
            .computeIfAbsent(rule.hostname(), h -> new ArrayList<>())
            .add(new Rule(rule, recording));
      }
      byHost.forEach((host, rules) -> group.rules.put(host, rules.toArray(new Rule[0])));
      groups.put(spec.hostname(), group);
    }
  }

  ListenerRoutes routes() {
    return routes;
  }

  /** Every upstream the rules use, possibly more than once. */
  List<Upstream> upstreams() {
    return upstreams;
  }

  /**
   * The group serving {@code host} (the most specific listener hostname covering it) when one of
   * its rules serves the host name, with how specific that rule's host name is; {@code null} when
   * no rule of this listener serves the host.
   */
  @Nullable Selection select(String host) {
    Group group = groups.best(host);
    if (group == null) {
      return null;
    }
    long rank = group.rules.bestRank(host);
    return rank < 0 ? null : new Selection(group, rank);
  }

  /** The target of the first rule of the selected group that matches, or {@code null}. */
  static @Nullable RouteTarget match(
      Selection selection, String host, String path, RequestAttributes request) {
    return selection.group.rules.first(
        host,
        rules -> {
          for (Rule rule : rules) {
            if (rule.conditions.matches(path, request)) {
              return rule.target();
            }
          }
          return null;
        });
  }
}
