package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.balance.AffinityKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 */
public final class RouteTable {

  private static final RouteTable EMPTY = builder().build();

  private final Map<String, VirtualHost> exactHosts;
  private final Map<String, VirtualHost> wildcardHosts;
  private final VirtualHost anyHost;
  private final List<Route> routes;
  private final Map<HostnamePattern, Route> fallbacks;
  private final Route defaultRoute;

  private RouteTable(Builder builder) {
    Upstreams upstreams = new Upstreams(builder.affinityKey);
    Map<HostnamePattern, VirtualHost.Builder> hosts = new HashMap<>();
    for (Route route : builder.routes.values()) {
      hosts
          .computeIfAbsent(route.host(), h -> new VirtualHost.Builder())
          .add(upstreams.target(route, false));
    }
    for (Map.Entry<HostnamePattern, Route> fallback : builder.fallbacks.entrySet()) {
      hosts
          .computeIfAbsent(fallback.getKey(), h -> new VirtualHost.Builder())
          .fallback(upstreams.target(fallback.getValue(), true));
    }
    hosts.computeIfAbsent(HostnamePattern.any(), h -> new VirtualHost.Builder());
    if (builder.defaultRoute != null) {
      RouteTarget defaultTarget = upstreams.target(builder.defaultRoute, true);
      for (VirtualHost.Builder host : hosts.values()) {
        if (!host.hasFallback()) {
          host.fallback(defaultTarget);
        }
      }
    }

    Map<String, VirtualHost> exact = new HashMap<>();
    Map<String, VirtualHost> wildcard = new HashMap<>();
    VirtualHost any = null;
    for (Map.Entry<HostnamePattern, VirtualHost.Builder> entry : hosts.entrySet()) {
      HostnamePattern pattern = entry.getKey();
      VirtualHost host = entry.getValue().build();
      switch (pattern.kind()) {
        case EXACT -> exact.put(pattern.value(), host);
        case WILDCARD -> wildcard.put(pattern.wildcardDomain(), host);
        case ANY -> any = host;
      }
    }
    this.exactHosts = Map.copyOf(exact);
    this.wildcardHosts = Map.copyOf(wildcard);
    this.anyHost = any;

    List<Route> sorted = new ArrayList<>(builder.routes.values());
    sorted.sort(RoutePrecedence.DISPLAY_ORDER);
    this.routes = List.copyOf(sorted);
    this.fallbacks = Map.copyOf(builder.fallbacks);
    this.defaultRoute = builder.defaultRoute;
  }

  /** One upstream per distinct backend, shared by every route that names it. */
  private static final class Upstreams {
    private final AffinityKey key;
    private final Map<Backend, Upstream> byBackend = new HashMap<>();

    Upstreams(AffinityKey key) {
      this.key = key;
    }

    RouteTarget target(Route route, boolean fallback) {
      Upstream upstream = byBackend.computeIfAbsent(route.backend(), b -> new Upstream(b, key));
      return new RouteTarget(route, upstream, fallback);
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
    if (exactHosts.containsKey(host)) {
      return HostnamePattern.of(host);
    }
    String parent = HostnamePattern.parentDomain(host);
    if (!parent.isEmpty() && wildcardHosts.containsKey(parent)) {
      return HostnamePattern.of("*." + parent);
    }
    return HostnamePattern.any();
  }

  private VirtualHost virtualHost(String host) {
    VirtualHost exact = exactHosts.get(host);
    if (exact != null) {
      return exact;
    }
    if (!wildcardHosts.isEmpty()) {
      VirtualHost wildcard = wildcardHosts.get(HostnamePattern.parentDomain(host));
      if (wildcard != null) {
        return wildcard;
      }
    }
    return anyHost;
  }

  /** Every rule, in display order (see {@link RoutePrecedence#DISPLAY_ORDER}). */
  public List<Route> routes() {
    return routes;
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
    return (int) routes.stream().map(Route::host).distinct().count();
  }

  /**
   * A readable, deterministic listing: one block per host in precedence order, then the default.
   * Tests compare it with expected text; operators read it from the admin server.
   */
  public String dump() {
    StringBuilder out = new StringBuilder();
    Map<HostnamePattern, List<Route>> byHost = new LinkedHashMap<>();
    for (Route route : routes) {
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
        && routes.equals(other.routes)
        && fallbacks.equals(other.fallbacks)
        && java.util.Objects.equals(defaultRoute, other.defaultRoute);
  }

  @Override
  public int hashCode() {
    return routes.hashCode() * 31 + fallbacks.hashCode();
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
      return new RouteTable(this);
    }
  }
}
