package io.portico.router.route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The paths of one host pattern, and its fallback. One {@link KeyTable} holds both the {@code
 * Exact} paths and the {@code Prefix} paths; a lookup probes it with the whole path, then with each
 * prefix of the path that ends a segment, longest wins, hashing as it scans and copying nothing.
 * The cost is one probe per request segment (up to the longest prefix rule), however many rules the
 * host has.
 *
 * <p>Paths are matched as {@link RequestPaths#normalize} leaves them: no empty or dot segments.
 */
final class VirtualHost {

  /** Display order within one host: Exact before Prefix, longer paths first, then by path. */
  private static final Comparator<Route> ORDER =
      Comparator.comparing((Route route) -> route.path() instanceof PathMatch.Prefix)
          .thenComparing(route -> -route.path().path().length())
          .thenComparing(route -> route.path().path());

  private static final int EXACT = 0;
  private static final int PREFIX = 1;

  private final HostnamePattern pattern;
  private final List<Route> routes;
  private final @Nullable Route ownFallback;
  private final @Nullable Route fallbackRoute;
  // The arrays of this host's KeyTable, held here to spare each lookup one dependent load.
  private final long[] pathSlots;
  private final Object[] pathEntries;
  private final int pathShift;
  private final boolean hasPaths;
  private final @Nullable RouteTarget rootPrefix;
  private final int longestPrefix;
  private final @Nullable RouteTarget fallback;
  private final List<Upstream> upstreams;

  private VirtualHost(
      HostnamePattern pattern,
      List<Route> routes,
      @Nullable Route ownFallback,
      @Nullable Route fallbackRoute,
      KeyTable paths,
      @Nullable RouteTarget rootPrefix,
      int longestPrefix,
      @Nullable RouteTarget fallback,
      List<Upstream> upstreams) {
    this.pattern = pattern;
    this.routes = routes;
    this.ownFallback = ownFallback;
    this.fallbackRoute = fallbackRoute;
    this.pathSlots = paths.slots();
    this.pathEntries = paths.entries();
    this.pathShift = paths.shift();
    this.hasPaths = !paths.isEmpty();
    this.rootPrefix = rootPrefix;
    this.longestPrefix = longestPrefix;
    this.fallback = fallback;
    this.upstreams = upstreams;
  }

  /**
   * The target for a normalised path: an {@code Exact} rule equal to the whole path, else the
   * longest {@code Prefix} rule, else the host's fallback ({@code null} when it has none).
   *
   * <p>An exact match is always at least as long as any prefix match, so checking it first is the
   * "longest match wins, Exact beats Prefix on equal length" rule.
   */
  @Nullable RouteTarget match(String path) {
    int length = path.length();
    if (hasPaths) {
      Object exact =
          KeyTable.get(pathSlots, pathEntries, pathShift, path, 0, length, path.hashCode(), EXACT);
      if (exact != null) {
        return (RouteTarget) exact;
      }
    }
    RouteTarget best = rootPrefix;
    int end = Math.min(length, longestPrefix);
    int hash = 0;
    // A prefix rule /a/b matches the path up to a segment end: position 4 of /a/b/c or its end.
    for (int i = 0; i <= end; i++) {
      if (i > 1 && (i == length || path.charAt(i) == '/')) {
        Object prefix = KeyTable.get(pathSlots, pathEntries, pathShift, path, 0, i, hash, PREFIX);
        if (prefix != null) {
          best = (RouteTarget) prefix;
        }
      }
      if (i < length) {
        hash = 31 * hash + path.charAt(i);
      }
    }
    return best != null ? best : fallback;
  }

  HostnamePattern pattern() {
    return pattern;
  }

  /** The host's rules in display order. */
  List<Route> routes() {
    return routes;
  }

  /** The host's own default backend ({@code spec.defaultBackend}), or {@code null}. */
  @Nullable Route ownFallback() {
    return ownFallback;
  }

  /** The route of the fallback target: the host's default backend or the table's; may be null. */
  @Nullable Route fallbackRoute() {
    return fallbackRoute;
  }

  /** Whether this host serves nothing of its own: no rules and no default backend. */
  boolean isEmpty() {
    return routes.isEmpty() && ownFallback == null;
  }

  /** Every upstream this host's targets use, once each. */
  List<Upstream> upstreams() {
    return upstreams;
  }

  /** The host's rules sorted for display. */
  static List<Route> sorted(List<Route> routes) {
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(ORDER);
    return List.copyOf(sorted);
  }

  /**
   * Resolves each route's upstream and builds the lookup structures.
   *
   * @param sortedRoutes the host's rules, {@linkplain #sorted sorted}
   * @param ownFallback the host's own default backend, or {@code null}
   * @param fallbackRoute what answers when no rule matches: {@code ownFallback}, else the table's
   *     default backend, else {@code null}
   * @param upstreams the upstream of each backend, shared with the table's other hosts
   */
  static VirtualHost build(
      HostnamePattern pattern,
      List<Route> sortedRoutes,
      @Nullable Route ownFallback,
      @Nullable Route fallbackRoute,
      Function<Backend, Upstream> upstreams) {
    KeyTable.Builder paths = KeyTable.builder();
    RouteTarget rootPrefix = null;
    int longestPrefix = 0;
    List<Upstream> used = new ArrayList<>();
    Set<Upstream> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Route route : sortedRoutes) {
      Upstream upstream = upstreams.apply(route.backend());
      if (seen.add(upstream)) {
        used.add(upstream);
      }
      RouteTarget target = new RouteTarget(route, upstream, false);
      String path = route.path().path();
      if (route.path() instanceof PathMatch.Exact) {
        paths.put(path, EXACT, target);
      } else if (path.equals("/")) {
        rootPrefix = target;
      } else {
        paths.put(path, PREFIX, target);
        longestPrefix = Math.max(longestPrefix, path.length());
      }
    }
    RouteTarget fallback = null;
    if (fallbackRoute != null) {
      Upstream upstream = upstreams.apply(fallbackRoute.backend());
      if (seen.add(upstream)) {
        used.add(upstream);
      }
      fallback = new RouteTarget(fallbackRoute, upstream, true);
    }
    return new VirtualHost(
        pattern,
        sortedRoutes,
        ownFallback,
        fallbackRoute,
        paths.build(),
        rootPrefix,
        longestPrefix,
        fallback,
        List.copyOf(used));
  }
}
