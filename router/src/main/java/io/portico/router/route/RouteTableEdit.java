package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A new table made from another by replacing the rules of some hosts and perhaps the default
 * backend. Hosts not named keep everything, down to the objects; the table it starts from does not
 * change. Made by {@link RouteTable#edit()}.
 */
public final class RouteTableEdit {

  private record VirtualHostChange(List<Route> routes, @Nullable Route fallback) {}

  private final RouteTable base;
  private final Map<HostnamePattern, VirtualHostChange> changes = new LinkedHashMap<>();
  private @Nullable Route defaultRoute;

  RouteTableEdit(RouteTable base) {
    this.base = base;
    this.defaultRoute = base.defaultRouteOrNull();
  }

  /**
   * Sets the rules of a host (in any order; no two with the same path and match type) and its own
   * default backend ({@code null}: none). No rules and no default backend removes the host.
   */
  public RouteTableEdit host(HostnamePattern host, List<Route> routes, @Nullable Route fallback) {
    requireNonNull(host, "host");
    for (Route route : routes) {
      if (!route.host().equals(host)) {
        throw new IllegalArgumentException(
            "route: "
                + route.host()
                + " "
                + route.path().path()
                + " (expected: host "
                + host
                + ")");
      }
    }
    if (fallback != null && !fallback.host().equals(host)) {
      throw new IllegalArgumentException(
          "fallback: " + fallback.host() + " (expected: host " + host + ")");
    }
    changes.put(host, new VirtualHostChange(List.copyOf(routes), fallback));
    return this;
  }

  /** Sets the controller-wide default backend ({@code null}: none). */
  public RouteTableEdit defaultRoute(@Nullable Route route) {
    // An equal route is the same default: keeping the object spares rebuilding every host.
    Route current = base.defaultRouteOrNull();
    this.defaultRoute = Objects.equals(route, current) ? current : route;
    return this;
  }

  /** The edited table. */
  public RouteTable build() {
    UpstreamLineage lineage = base.takeLineage();
    if (lineage == null) {
      lineage = UpstreamLineage.of(base);
    }
    KeyTable.Editor exact = base.exactHosts().edit();
    KeyTable.Editor wildcard = base.wildcardHosts().edit();
    VirtualHost any = base.anyHost();
    int routeCount = base.routeCount();
    int hostCount = base.hostCount();
    List<HostnamePattern> rebuilt = new ArrayList<>();
    Map<HostnamePattern, VirtualHostChange> todo = new LinkedHashMap<>(changes);
    if (defaultRoute != base.defaultRouteOrNull()) {
      // Every host without a default backend of its own falls back to the table's.
      for (VirtualHost host : base.hosts()) {
        if (host.ownFallback() == null && !todo.containsKey(host.pattern())) {
          todo.put(host.pattern(), new VirtualHostChange(host.routes(), null));
        }
      }
    }
    List<VirtualHost> released = new ArrayList<>();
    for (Map.Entry<HostnamePattern, VirtualHostChange> entry : todo.entrySet()) {
      HostnamePattern pattern = entry.getKey();
      VirtualHostChange change = entry.getValue();
      VirtualHost old = base.host(pattern);
      Route fallbackRoute = change.fallback() != null ? change.fallback() : defaultRoute;
      VirtualHost next = null;
      if (!change.routes().isEmpty()
          || change.fallback() != null
          || pattern.kind() == HostnamePattern.Kind.ANY) {
        next =
            VirtualHost.build(
                pattern,
                VirtualHost.sorted(change.routes()),
                change.fallback(),
                fallbackRoute,
                lineage::upstream);
        lineage.hold(next);
      }
      if (old != null) {
        released.add(old);
        routeCount -= old.routes().size();
        hostCount -= old.routes().isEmpty() ? 0 : 1;
      }
      if (next != null) {
        routeCount += next.routes().size();
        hostCount += next.routes().isEmpty() ? 0 : 1;
      }
      switch (pattern.kind()) {
        case EXACT -> place(exact, pattern.value(), next);
        case WILDCARD -> place(wildcard, pattern.wildcardDomain(), next);
        case ANY -> any = requireNonNull(next, "next");
      }
      rebuilt.add(pattern);
    }
    // Released after every new host holds its upstreams, so an upstream a changed host keeps
    // is never dropped and made again: its balancing state carries on.
    released.forEach(lineage::release);
    return new RouteTable(
        new RouteTable.Parts(
            base,
            exact.build(),
            wildcard.build(),
            any,
            defaultRoute,
            routeCount,
            hostCount,
            rebuilt,
            lineage));
  }

  private static void place(KeyTable.Editor hosts, String key, @Nullable VirtualHost host) {
    if (host == null) {
      hosts.remove(key, RouteTable.HOST);
    } else {
      hosts.put(key, RouteTable.HOST, host);
    }
  }
}
