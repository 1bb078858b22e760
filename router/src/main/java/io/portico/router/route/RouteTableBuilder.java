package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.balance.AffinityKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Collects routes for a new {@link RouteTable}; the first claim on a host, path and match type
 * keeps it. Made by {@link RouteTable#builder()}.
 */
public final class RouteTableBuilder {

  private final Map<Route.RouteKey, Route> routes = new LinkedHashMap<>();
  private final Map<HostnamePattern, Route> fallbacks = new LinkedHashMap<>();
  private final AffinityKey affinityKey;
  private @Nullable Route defaultRoute;

  RouteTableBuilder(AffinityKey affinityKey) {
    this.affinityKey = affinityKey;
  }

  /**
   * Adds a rule unless an earlier one holds the same host, path and match type.
   *
   * @return the earlier route that keeps the claim, or empty when this one was added
   */
  public Optional<Route> add(Route route) {
    requireNonNull(route, "route");
    Route existing = routes.putIfAbsent(route.key(), route);
    return Optional.ofNullable(existing);
  }

  /**
   * Sets the default backend for requests to {@code route.host()} that match no path, unless one is
   * already set.
   *
   * @return the earlier fallback that keeps the claim, or empty when this one was set
   */
  public Optional<Route> fallback(Route route) {
    requireNonNull(route, "route");
    return Optional.ofNullable(fallbacks.putIfAbsent(route.host(), route));
  }

  /** Sets the controller-wide default backend, used by every host without its own fallback. */
  public RouteTableBuilder defaultRoute(Route route) {
    this.defaultRoute = requireNonNull(route, "route");
    return this;
  }

  /** The table: an edit of the empty table that sets every host. */
  public RouteTable build() {
    Map<HostnamePattern, List<Route>> byHost = new LinkedHashMap<>();
    for (Route route : routes.values()) {
      byHost.computeIfAbsent(route.host(), h -> new ArrayList<>()).add(route);
    }
    for (HostnamePattern host : fallbacks.keySet()) {
      byHost.computeIfAbsent(host, h -> new ArrayList<>());
    }
    RouteTableEdit edit = RouteTable.empty(affinityKey).edit().defaultRoute(defaultRoute);
    byHost.forEach((host, rules) -> edit.host(host, rules, fallbacks.get(host)));
    return edit.build();
  }
}
