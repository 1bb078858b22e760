package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.balance.AffinityKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An immutable host/path routing table. Host lookup is a hash lookup; path lookup walks the request
 * path's segments once (see {@link VirtualHost}); neither grows with the number of rules. Matching
 * follows {@link RoutePrecedence}.
 *
 * <p>Two tables are equal when they hold equal routes and fallbacks, so a translation that changes
 * nothing can be recognised and not published.
 *
 * <p>Building the table also builds one {@link Upstream} per distinct {@link Backend} (a backend
 * includes its policy), with the session cookie values of its endpoints computed once with the
 * table's {@link AffinityKey}. The key is not part of equality: it is fixed for the life of a
 * process.
 *
 * <p>A table is made either whole, by a {@link Builder} that keeps the first claim on each host,
 * path and match type, or from another table by an {@link Edit} that replaces the rules of some
 * hosts. An edit costs in proportion to the hosts it changes: every other host keeps its lookup
 * structures and its upstreams, with their balancing state, and the host tables are copied, not
 * rebuilt.
 */
public final class RouteTable {

  private static final int HOST = 0;
  private static final RouteTable EMPTY = new RouteTable(AffinityKey.builtIn());

  private final KeyTable exactHosts;
  private final KeyTable wildcardHosts;
  private final VirtualHost anyHost;
  private final Route defaultRoute;
  private final AffinityKey affinityKey;
  private final int routeCount;
  private final int hostCount;
  private final int endpointCount;
  // Handed to the next edit, which takes it once; see Lineage.
  private final AtomicReference<Lineage> lineage;
  // The table this one was edited from, and the hosts the edit rebuilt, for a cheap equals() with
  // it; the reference is dropped once a newer edit is made, so tables do not chain.
  private volatile RouteTable base;
  private final List<HostnamePattern> rebuilt;
  // Derived on first use (only operators and tests read them), then kept: benign races, as the
  // value is always the same.
  private volatile List<Route> routes;
  private volatile Map<HostnamePattern, Route> fallbacks;

  private RouteTable(AffinityKey affinityKey) {
    this.exactHosts = KeyTable.empty();
    this.wildcardHosts = KeyTable.empty();
    this.anyHost = VirtualHost.build(HostnamePattern.any(), List.of(), null, null, b -> null);
    this.defaultRoute = null;
    this.affinityKey = affinityKey;
    this.routeCount = 0;
    this.hostCount = 0;
    this.endpointCount = 0;
    this.lineage = new AtomicReference<>();
    this.rebuilt = List.of();
  }

  private RouteTable(Edit edit, Lineage lineage) {
    this.exactHosts = edit.exact.build();
    this.wildcardHosts = edit.wildcard.build();
    this.anyHost = edit.any;
    this.defaultRoute = edit.defaultRoute;
    this.affinityKey = edit.base.affinityKey;
    this.routeCount = edit.routeCount;
    this.hostCount = edit.hostCount;
    this.endpointCount = lineage.endpointCount(edit.defaultRoute);
    this.lineage = new AtomicReference<>(lineage);
    this.rebuilt = List.copyOf(edit.rebuiltPatterns);
    RouteTable from = edit.base;
    from.base = null;
    this.base = from;
  }

  /** A builder whose session cookies use the {@linkplain AffinityKey#builtIn() built-in key}. */
  public static Builder builder() {
    return new Builder(AffinityKey.builtIn());
  }

  /** A builder whose session cookies are keyed with {@code affinityKey}. */
  public static Builder builder(AffinityKey affinityKey) {
    return new Builder(requireNonNull(affinityKey, "affinityKey"));
  }

  /** A table without routes: every request gets Portico's 404. */
  public static RouteTable empty() {
    return EMPTY;
  }

  /** A table without routes whose session cookies are keyed with {@code affinityKey}. */
  public static RouteTable empty(AffinityKey affinityKey) {
    return affinityKey == EMPTY.affinityKey ? EMPTY : new RouteTable(affinityKey);
  }

  /** An edit that starts from this table, which does not change. */
  public Edit edit() {
    return new Edit(this);
  }

  /**
   * Finds the route for a request.
   *
   * @param host the request host, already normalised with {@link
   *     HostnamePattern#normalizeRequestHost}; empty for a request without one
   * @param path the request path, already normalised with {@link RequestPaths#normalize}
   * @return the matching target, or {@code null} when nothing matches and no default backend
   *     applies (Portico answers 404)
   */
  public RouteTarget match(String host, String path) {
    return virtualHost(host).match(path);
  }

  /**
   * Which host pattern serves a request host, by the rules of {@link RoutePrecedence}: the exact
   * host, the one-label wildcard, or any host. For explanations; {@link #match} does not need it.
   */
  public HostnamePattern hostFor(String host) {
    VirtualHost selected = virtualHost(host);
    return selected == anyHost ? HostnamePattern.any() : selected.pattern();
  }

  private VirtualHost virtualHost(String host) {
    int length = host.length();
    Object exact = exactHosts.get(host, 0, length, host.hashCode(), HOST);
    if (exact != null) {
      return (VirtualHost) exact;
    }
    if (!wildcardHosts.isEmpty()) {
      // The domain below the first label: a.example.com looks up example.com.
      int dot = host.indexOf('.');
      if (dot > 0) {
        int offset = dot + 1;
        Object wildcard =
            wildcardHosts.get(
                host, offset, length - offset, KeyTable.hash(host, offset, length - offset), HOST);
        if (wildcard != null) {
          return (VirtualHost) wildcard;
        }
      }
    }
    return anyHost;
  }

  /** The virtual host of a pattern, or {@code null} (never for any host). */
  private VirtualHost host(HostnamePattern pattern) {
    return switch (pattern.kind()) {
      case EXACT -> (VirtualHost) exactHosts.get(pattern.value(), HOST);
      case WILDCARD -> (VirtualHost) wildcardHosts.get(pattern.wildcardDomain(), HOST);
      case ANY -> anyHost;
    };
  }

  private List<VirtualHost> hosts() {
    List<VirtualHost> all = new ArrayList<>(exactHosts.size() + wildcardHosts.size() + 1);
    exactHosts.forEachValue(host -> all.add((VirtualHost) host));
    wildcardHosts.forEachValue(host -> all.add((VirtualHost) host));
    all.add(anyHost);
    return all;
  }

  /** Every rule, in display order (see {@link RoutePrecedence#DISPLAY_ORDER}). */
  public List<Route> routes() {
    List<Route> sorted = routes;
    if (sorted == null) {
      List<VirtualHost> hosts = hosts();
      hosts.sort((a, b) -> a.pattern().compareTo(b.pattern()));
      List<Route> all = new ArrayList<>(routeCount);
      for (VirtualHost host : hosts) {
        all.addAll(host.routes());
      }
      sorted = List.copyOf(all);
      routes = sorted;
    }
    return sorted;
  }

  /** The per-host default backends (from {@code spec.defaultBackend}); empty when none. */
  public Map<HostnamePattern, Route> fallbacks() {
    Map<HostnamePattern, Route> map = fallbacks;
    if (map == null) {
      Map<HostnamePattern, Route> own = new HashMap<>();
      for (VirtualHost host : hosts()) {
        if (host.ownFallback() != null) {
          own.put(host.pattern(), host.ownFallback());
        }
      }
      map = Map.copyOf(own);
      fallbacks = map;
    }
    return map;
  }

  /** The controller-wide default backend, if one is configured. */
  public Optional<Route> defaultRoute() {
    return Optional.ofNullable(defaultRoute);
  }

  /** The number of distinct host patterns with rules. */
  public int hostCount() {
    return hostCount;
  }

  /** The number of rules. */
  public int routeCount() {
    return routeCount;
  }

  /**
   * The number of distinct endpoints the table sends new requests to (ready ones, or serving ones
   * where none is ready), over its rules, fallbacks and default backend.
   */
  public int endpointCount() {
    return endpointCount;
  }

  public String dump() {
    StringBuilder out = new StringBuilder();
    Map<HostnamePattern, List<Route>> byHost = new LinkedHashMap<>();
    for (Route route : routes()) {
      byHost.computeIfAbsent(route.host(), h -> new ArrayList<>()).add(route);
    }
    Map<HostnamePattern, Route> fallbacks = fallbacks();
    for (HostnamePattern host : fallbacks.keySet()) {
      byHost.computeIfAbsent(host, h -> new ArrayList<>());
    }
    byHost.keySet().stream()
        .sorted()
        .forEach(
            host -> {
              out.append("host ").append(host).append('\n');
              for (Route route : byHost.get(host)) {
                out.append("  ")
                    .append(String.format("%-6s", route.path().typeName()))
                    .append(' ')
                    .append(route.path().path());
                appendTarget(out, route);
              }
              Route fallback = fallbacks.get(host);
              if (fallback != null) {
                appendDefault(out, "  default", fallback);
              }
            });
    if (defaultRoute != null) {
      appendDefault(out, "default", defaultRoute);
    }
    return out.toString();
  }

  private static void appendDefault(StringBuilder out, String label, Route route) {
    out.append(label);
    appendTarget(out, route);
  }

  private static void appendTarget(StringBuilder out, Route route) {
    out.append(" -> ").append(route.backend()).append("  (").append(route.origin()).append(')');
    appendHttps(out, route);
  }

  private static void appendHttps(StringBuilder out, Route route) {
    String label = route.https().label();
    if (!label.isEmpty()) {
      out.append("  [").append(label).append(']');
    }
    out.append('\n');
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof RouteTable other)
        || routeCount != other.routeCount
        || exactHosts.size() != other.exactHosts.size()
        || wildcardHosts.size() != other.wildcardHosts.size()
        || !Objects.equals(defaultRoute, other.defaultRoute)) {
      return false;
    }
    // An edit and the table it came from differ at most in the hosts the edit rebuilt.
    if (base == other) {
      return sameHosts(other, rebuilt);
    }
    if (other.base == this) {
      return sameHosts(other, other.rebuilt);
    }
    List<HostnamePattern> all = new ArrayList<>();
    hosts().forEach(host -> all.add(host.pattern()));
    return sameHosts(other, all);
  }

  private boolean sameHosts(RouteTable other, List<HostnamePattern> patterns) {
    for (HostnamePattern pattern : patterns) {
      VirtualHost mine = host(pattern);
      VirtualHost theirs = other.host(pattern);
      if (mine == theirs) {
        continue;
      }
      if (mine == null || theirs == null) {
        return false;
      }
      if (!mine.routes().equals(theirs.routes())
          || !Objects.equals(mine.ownFallback(), theirs.ownFallback())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return routeCount * 31 + exactHosts.size() * 7 + wildcardHosts.size();
  }

  @Override
  public String toString() {
    return dump();
  }

  /**
   * What successive tables share and an edit updates instead of recomputing: one upstream per
   * distinct backend, with the number of hosts using it, and how many upstreams use each endpoint.
   * Mutable and single-owner: each table holds the lineage it was built with until the next edit
   * takes it; an edit of a table whose lineage is gone (a second edit of the same table) counts
   * again from its hosts.
   */
  private static final class Lineage {
    private record Key(Backend backend, int hash) {
      @Override
      public boolean equals(Object o) {
        return o instanceof Key other
            && hash == other.hash
            && (backend == other.backend || backend.equals(other.backend));
      }

      @Override
      public int hashCode() {
        return hash;
      }
    }

    private static final class Held {
      final Upstream upstream;
      int hosts;

      Held(Upstream upstream) {
        this.upstream = upstream;
      }
    }

    private final AffinityKey affinityKey;
    private final Map<Key, Held> upstreams = new HashMap<>();
    private final Map<Endpoint, int[]> endpoints = new HashMap<>();

    Lineage(AffinityKey affinityKey) {
      this.affinityKey = affinityKey;
    }

    static Lineage of(RouteTable table) {
      Lineage lineage = new Lineage(table.affinityKey);
      for (VirtualHost host : table.hosts()) {
        lineage.hold(host);
      }
      return lineage;
    }

    /** The upstream for a backend: the one the table has, or a new one (held by no host yet). */
    Upstream upstream(Backend backend) {
      Key key = new Key(backend, backend.hashCode());
      Held held = upstreams.get(key);
      if (held == null) {
        held = new Held(new Upstream(backend, affinityKey));
        upstreams.put(key, held);
      }
      return held.upstream;
    }

    void hold(VirtualHost host) {
      for (Upstream upstream : host.upstreams()) {
        Held held =
            upstreams.computeIfAbsent(
                new Key(upstream.backend(), upstream.backendHash()), k -> new Held(upstream));
        if (held.hosts++ == 0) {
          for (Endpoint endpoint : upstream.backend().endpoints()) {
            endpoints.computeIfAbsent(endpoint, e -> new int[1])[0]++;
          }
        }
      }
    }

    void release(VirtualHost host) {
      for (Upstream upstream : host.upstreams()) {
        Key key = new Key(upstream.backend(), upstream.backendHash());
        Held held = upstreams.get(key);
        if (--held.hosts == 0) {
          upstreams.remove(key);
          for (Endpoint endpoint : upstream.backend().endpoints()) {
            int[] count = endpoints.get(endpoint);
            if (--count[0] == 0) {
              endpoints.remove(endpoint);
            }
          }
        }
      }
    }

    int endpointCount(Route defaultRoute) {
      int count = endpoints.size();
      if (defaultRoute != null) {
        for (Endpoint endpoint : defaultRoute.backend().endpoints()) {
          if (!endpoints.containsKey(endpoint)) {
            count++;
          }
        }
      }
      return count;
    }
  }

  /**
   * A new table made from another by replacing the rules of some hosts and perhaps the default
   * backend. Hosts not named keep everything, down to the objects.
   */
  public static final class Edit {
    private final RouteTable base;
    private final Map<HostnamePattern, VirtualHostChange> changes = new LinkedHashMap<>();
    private Route defaultRoute;
    // Working state of build().
    private KeyTable.Editor exact;
    private KeyTable.Editor wildcard;
    private VirtualHost any;
    private int routeCount;
    private int hostCount;
    private final List<HostnamePattern> rebuiltPatterns = new ArrayList<>();

    private record VirtualHostChange(List<Route> routes, Route fallback) {}

    private Edit(RouteTable base) {
      this.base = base;
      this.defaultRoute = base.defaultRoute;
    }

    /**
     * Sets the rules of a host (in any order; no two with the same path and match type) and its own
     * default backend ({@code null}: none). No rules and no default backend removes the host.
     */
    public Edit host(HostnamePattern host, List<Route> routes, Route fallback) {
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
    public Edit defaultRoute(Route route) {
      // An equal route is the same default: keeping the object spares rebuilding every host.
      this.defaultRoute = Objects.equals(route, base.defaultRoute) ? base.defaultRoute : route;
      return this;
    }

    public RouteTable build() {
      Lineage lineage = base.lineage.getAndSet(null);
      if (lineage == null) {
        lineage = Lineage.of(base);
      }
      exact = base.exactHosts.edit();
      wildcard = base.wildcardHosts.edit();
      any = base.anyHost;
      routeCount = base.routeCount;
      hostCount = base.hostCount;
      Map<HostnamePattern, VirtualHostChange> todo = new LinkedHashMap<>(changes);
      if (defaultRoute != base.defaultRoute) {
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
        place(pattern, next);
        rebuiltPatterns.add(pattern);
      }
      // Released after every new host holds its upstreams, so an upstream a changed host keeps
      // is never dropped and made again: its balancing state carries on.
      released.forEach(lineage::release);
      return new RouteTable(this, lineage);
    }

    private void place(HostnamePattern pattern, VirtualHost host) {
      switch (pattern.kind()) {
        case EXACT -> {
          if (host == null) {
            exact.remove(pattern.value(), HOST);
          } else {
            exact.put(pattern.value(), HOST, host);
          }
        }
        case WILDCARD -> {
          if (host == null) {
            wildcard.remove(pattern.wildcardDomain(), HOST);
          } else {
            wildcard.put(pattern.wildcardDomain(), HOST, host);
          }
        }
        case ANY -> any = host;
      }
    }
  }

  /** Collects routes; the first claim on a host, path and match type keeps it. */
  public static final class Builder {
    private final Map<Route.RouteKey, Route> routes = new LinkedHashMap<>();
    private final Map<HostnamePattern, Route> fallbacks = new LinkedHashMap<>();
    private final AffinityKey affinityKey;
    private Route defaultRoute;

    private Builder(AffinityKey affinityKey) {
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
     * Sets the default backend for requests to {@code route.host()} that match no path, unless one
     * is already set.
     *
     * @return the earlier fallback that keeps the claim, or empty when this one was set
     */
    public Optional<Route> fallback(Route route) {
      requireNonNull(route, "route");
      return Optional.ofNullable(fallbacks.putIfAbsent(route.host(), route));
    }

    /** Sets the controller-wide default backend, used by every host without its own fallback. */
    public Builder defaultRoute(Route route) {
      this.defaultRoute = requireNonNull(route, "route");
      return this;
    }

    public RouteTable build() {
      Map<HostnamePattern, List<Route>> byHost = new LinkedHashMap<>();
      for (Route route : routes.values()) {
        byHost.computeIfAbsent(route.host(), h -> new ArrayList<>()).add(route);
      }
      for (HostnamePattern host : fallbacks.keySet()) {
        byHost.computeIfAbsent(host, h -> new ArrayList<>());
      }
      Edit edit = empty(affinityKey).edit().defaultRoute(defaultRoute);
      byHost.forEach((host, rules) -> edit.host(host, rules, fallbacks.get(host)));
      return edit.build();
    }
  }
}
