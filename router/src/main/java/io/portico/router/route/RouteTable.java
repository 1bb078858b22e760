package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.balance.AffinityKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 * builder's {@link AffinityKey}. The key is not part of equality: it is fixed for the life of a
 * process.
 *
 * <p>A builder may {@linkplain Builder#reusing reuse} an earlier table: each host whose rules and
 * fallback are the very same route objects as there keeps its lookup structures and upstreams (with
 * their balancing state), so a change to one Ingress rebuilds the hosts it touches, not all of
 * them.
 */
public final class RouteTable {

  private static final RouteTable EMPTY = builder().build();

  private final KeyTable exactHosts;
  private final KeyTable wildcardHosts;
  private final VirtualHost anyHost;
  private final Map<HostnamePattern, VirtualHost> hosts;
  private final Map<HostnamePattern, Route> fallbacks;
  private final Route defaultRoute;
  private final AffinityKey affinityKey;
  private final int routeCount;
  private final int hostCount;
  // Derived on first use (only operators and tests read them), then kept: benign races, as the
  // value is always the same.
  private volatile List<Route> routes;
  private volatile int endpointCount = -1;

  private RouteTable(Builder builder) {
    Map<HostnamePattern, List<Route>> byHost = new HashMap<>();
    for (Route route : builder.routes.values()) {
      byHost.computeIfAbsent(route.host(), h -> new ArrayList<>()).add(route);
    }
    for (HostnamePattern host : builder.fallbacks.keySet()) {
      byHost.computeIfAbsent(host, h -> new ArrayList<>());
    }
    byHost.computeIfAbsent(HostnamePattern.any(), h -> new ArrayList<>());
    RouteTable previous =
        builder.previous != null && builder.previous.affinityKey == builder.affinityKey
            ? builder.previous
            : null;

    // Hosts whose routes and fallback are the same objects as before keep their structures; their
    // upstreams are then the ones other hosts with an equal backend must share.
    Upstreams upstreams = new Upstreams(builder.affinityKey);
    Map<HostnamePattern, VirtualHost> built = new HashMap<>(byHost.size() * 4 / 3 + 1);
    List<Map.Entry<HostnamePattern, List<Route>>> rebuild = new ArrayList<>();
    int withRoutes = 0;
    for (Map.Entry<HostnamePattern, List<Route>> entry : byHost.entrySet()) {
      HostnamePattern pattern = entry.getKey();
      List<Route> sorted = VirtualHost.sorted(entry.getValue());
      entry.setValue(sorted);
      if (!sorted.isEmpty()) {
        withRoutes++;
      }
      VirtualHost earlier = previous == null ? null : previous.hosts.get(pattern);
      if (earlier != null && earlier.serves(sorted, fallbackOf(builder, pattern))) {
        built.put(pattern, earlier);
        earlier.upstreams().forEach(upstreams::keep);
      } else {
        rebuild.add(entry);
      }
    }
    for (Map.Entry<HostnamePattern, List<Route>> entry : rebuild) {
      HostnamePattern pattern = entry.getKey();
      built.put(
          pattern,
          VirtualHost.build(
              pattern, entry.getValue(), fallbackOf(builder, pattern), upstreams::upstream));
    }

    KeyTable.Builder exact = KeyTable.builder();
    KeyTable.Builder wildcard = KeyTable.builder();
    for (VirtualHost host : built.values()) {
      HostnamePattern pattern = host.pattern();
      switch (pattern.kind()) {
        case EXACT -> exact.put(pattern.value(), 0, host);
        case WILDCARD -> wildcard.put(pattern.wildcardDomain(), 0, host);
        case ANY -> {}
      }
    }
    this.exactHosts = exact.build();
    this.wildcardHosts = wildcard.build();
    this.anyHost = built.get(HostnamePattern.any());
    this.hosts = Collections.unmodifiableMap(built);
    this.fallbacks = Map.copyOf(builder.fallbacks);
    this.defaultRoute = builder.defaultRoute;
    this.affinityKey = builder.affinityKey;
    this.routeCount = builder.routes.size();
    this.hostCount = withRoutes;
  }

  /** The route a host falls back to: its own default backend, else the table's, else none. */
  private static Route fallbackOf(Builder builder, HostnamePattern host) {
    Route own = builder.fallbacks.get(host);
    return own != null ? own : builder.defaultRoute;
  }

  /**
   * One upstream per distinct backend, shared by every route that names it. Backends are records
   * whose hash walks every endpoint, so each upstream's hash is computed once, when it is made.
   */
  private static final class Upstreams {
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

    private final AffinityKey key;
    private final Map<Key, Upstream> byBackend = new HashMap<>();

    Upstreams(AffinityKey key) {
      this.key = key;
    }

    void keep(Upstream upstream) {
      byBackend.put(new Key(upstream.backend(), upstream.backendHash()), upstream);
    }

    Upstream upstream(Backend backend) {
      return byBackend.computeIfAbsent(
          new Key(backend, backend.hashCode()), k -> new Upstream(k.backend(), key));
    }
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
    Object exact = exactHosts.get(host, 0, length, host.hashCode(), 0);
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
                host, offset, length - offset, KeyTable.hash(host, offset, length - offset), 0);
        if (wildcard != null) {
          return (VirtualHost) wildcard;
        }
      }
    }
    return anyHost;
  }

  /** Every rule, in display order (see {@link RoutePrecedence#DISPLAY_ORDER}). */
  public List<Route> routes() {
    List<Route> sorted = routes;
    if (sorted == null) {
      List<HostnamePattern> patterns = new ArrayList<>(hosts.keySet());
      patterns.sort(null);
      List<Route> all = new ArrayList<>(routeCount);
      for (HostnamePattern pattern : patterns) {
        all.addAll(hosts.get(pattern).routes());
      }
      sorted = List.copyOf(all);
      routes = sorted;
    }
    return sorted;
  }

  /** The per-host default backends (from {@code spec.defaultBackend}); empty when none. */
  public Map<HostnamePattern, Route> fallbacks() {
    return fallbacks;
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
    int count = endpointCount;
    if (count < 0) {
      Set<Endpoint> endpoints = new HashSet<>();
      for (VirtualHost host : hosts.values()) {
        for (Upstream upstream : host.upstreams()) {
          endpoints.addAll(upstream.backend().endpoints());
        }
      }
      if (defaultRoute != null) {
        endpoints.addAll(defaultRoute.backend().endpoints());
      }
      count = endpoints.size();
      endpointCount = count;
    }
    return count;
  }

  /**
   * A readable, deterministic listing: one block per host in precedence order, then the default.
   * Tests compare it with expected text; operators read it from the admin server.
   */
  public String dump() {
    StringBuilder out = new StringBuilder();
    Map<HostnamePattern, List<Route>> byHost = new LinkedHashMap<>();
    for (Route route : routes()) {
      byHost.computeIfAbsent(route.host(), h -> new ArrayList<>()).add(route);
    }
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

  /** The rest of a dump line: {@code -> backend (origin)} and the HTTPS policy. */
  private static void appendTarget(StringBuilder out, Route route) {
    out.append(" -> ").append(route.backend()).append("  (").append(route.origin()).append(')');
    appendHttps(out, route);
  }

  /** Ends a dump line, naming the route's HTTPS policy unless it is {@link HttpsPolicy#NONE}. */
  private static void appendHttps(StringBuilder out, Route route) {
    String label = route.https().label();
    if (!label.isEmpty()) {
      out.append("  [").append(label).append(']');
    }
    out.append('\n');
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteTable other
        && routeCount == other.routeCount
        && fallbacks.equals(other.fallbacks)
        && java.util.Objects.equals(defaultRoute, other.defaultRoute)
        && sameRoutes(other);
  }

  /** Whether every host has equal rules in both tables (with equal counts, no more are there). */
  private boolean sameRoutes(RouteTable other) {
    for (Map.Entry<HostnamePattern, VirtualHost> entry : hosts.entrySet()) {
      VirtualHost mine = entry.getValue();
      VirtualHost theirs = other.hosts.get(entry.getKey());
      if (theirs == mine) {
        continue;
      }
      List<Route> theirRoutes = theirs == null ? List.of() : theirs.routes();
      if (!mine.routes().equals(theirRoutes)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return routeCount * 31 + fallbacks.hashCode();
  }

  @Override
  public String toString() {
    return dump();
  }

  /** Collects routes; the first claim on a host, path and match type keeps it. */
  public static final class Builder {
    private final Map<Route.RouteKey, Route> routes = new LinkedHashMap<>();
    private final Map<HostnamePattern, Route> fallbacks = new LinkedHashMap<>();
    private final AffinityKey affinityKey;
    private Route defaultRoute;
    private RouteTable previous;

    private Builder(AffinityKey affinityKey) {
      this.affinityKey = affinityKey;
    }

    /**
     * Lets the new table take over the hosts of {@code earlier} whose rules and fallback are the
     * very same route objects, with their upstreams: their balancing state carries on instead of
     * starting again. Only tables built with the same affinity key are reused.
     */
    public Builder reusing(RouteTable earlier) {
      this.previous = earlier;
      return this;
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
      return new RouteTable(this);
    }
  }
}
