package io.portico.router.route;

import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.TrailingSlashRedirectPolicy;
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
 * <p>A host with {@link PathMatch.Regex} rules tries them after the {@code Exact} probe and before
 * the {@code Prefix} ones, in their own order, first match wins ({@link RegexRules}): nginx's order
 * of exact, regular expression and prefix locations. A host without them pays nothing for them.
 *
 * <p>On a host without regex rules, a rule written with a trailing slash ({@code Prefix /foo/},
 * {@code Exact /foo/}) also answers the path without it ({@code /foo}) with a 301 to the slashed
 * path, unless an {@code Exact} rule serves {@code /foo}: nginx's redirect for a location that ends
 * with a slash. The redirect is one more entry of the exact paths, so it costs no lookup of its
 * own.
 *
 * <p>Paths are matched as {@link RequestPaths#normalize} leaves them: no empty or dot segments.
 */
final class VirtualHost {

  /**
   * Lookup and display order within one host: Exact, then Regex, then Prefix; within each, longer
   * paths first, then (Regex) the greater expression first, as ingress-nginx orders its regex
   * locations, or (Exact, Prefix) by path.
   */
  static final Comparator<Route> ORDER =
      Comparator.comparingInt((Route route) -> kindOrder(route.path()))
          .thenComparing(route -> -route.path().rulePath().length())
          .thenComparing(
              (a, b) ->
                  a.path() instanceof PathMatch.Regex
                      ? b.path().rulePath().compareTo(a.path().rulePath())
                      : a.path().rulePath().compareTo(b.path().rulePath()));

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
  private final @Nullable RegexRules regexes;
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
      @Nullable RegexRules regexes,
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
    this.regexes = regexes;
    this.rootPrefix = rootPrefix;
    this.longestPrefix = longestPrefix;
    this.fallback = fallback;
    this.upstreams = upstreams;
  }

  /**
   * The target for a normalised path: an {@code Exact} rule equal to the whole path (or the
   * trailing-slash redirect of one), else the first {@code Regex} rule that matches, else the
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
    if (regexes != null) {
      RouteTarget matched = regexes.match(path);
      if (matched != null) {
        return matched;
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

  /** Whether the host has {@code Regex} rules (and so no trailing-slash redirects). */
  boolean hasRegexRules() {
    return regexes != null;
  }

  private static int kindOrder(PathMatch path) {
    if (path instanceof PathMatch.Exact) {
      return 0;
    }
    return path instanceof PathMatch.Regex ? 1 : 2;
  }

  /** The host's rules sorted for lookup and display. */
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
    List<RouteTarget> regexTargets = new ArrayList<>();
    List<RouteTarget> slashed = new ArrayList<>();
    for (Route route : sortedRoutes) {
      RouteTarget target = target(route, false, upstreams, seen, used);
      String path = route.path().path();
      if (route.path() instanceof PathMatch.Exact) {
        paths.put(path, EXACT, target);
      } else if (route.path() instanceof PathMatch.Regex) {
        regexTargets.add(target);
      } else if (path.equals("/")) {
        rootPrefix = target;
      } else {
        paths.put(path, PREFIX, target);
        longestPrefix = Math.max(longestPrefix, path.length());
      }
      if (route.path().rulePath().length() > 1 && route.path().rulePath().endsWith("/")) {
        slashed.add(target);
      }
    }
    if (regexTargets.isEmpty()) {
      // After every Exact rule, which keeps its path: a put does not replace an entry.
      for (RouteTarget target : slashed) {
        String slashPath = target.route().path().rulePath();
        String bare = slashPath.substring(0, slashPath.length() - 1);
        paths.put(
            bare,
            EXACT,
            new RouteTarget(slashRedirect(target.route(), bare), target.upstream(), false));
      }
    }
    RouteTarget fallback = null;
    if (fallbackRoute != null) {
      fallback = target(fallbackRoute, true, upstreams, seen, used);
    }
    return new VirtualHost(
        pattern,
        sortedRoutes,
        ownFallback,
        fallbackRoute,
        paths.build(),
        regexTargets.isEmpty() ? null : RegexRules.of(regexTargets),
        rootPrefix,
        longestPrefix,
        fallback,
        List.copyOf(used));
  }

  /**
   * The target of a route, with the upstreams of its backend, its canaries' backends, its mirror
   * and its error backend, each noted as used.
   */
  private static RouteTarget target(
      Route route,
      boolean fallback,
      Function<Backend, Upstream> upstreams,
      Set<Upstream> seen,
      List<Upstream> used) {
    Upstream upstream = use(upstreams.apply(route.backend()), seen, used);
    Upstream mirror =
        route.mirror().map(m -> use(upstreams.apply(m.backend()), seen, used)).orElse(null);
    ErrorPages errorPages = route.errorPages();
    Upstream errorUpstream =
        errorPages == null ? null : use(upstreams.apply(errorPages.backend()), seen, used);
    List<RouteTarget> canaries = new ArrayList<>(route.canaries().size());
    for (Canary canary : route.canaries().canaries()) {
      Upstream canaryUpstream = use(upstreams.apply(canary.backend()), seen, used);
      canaries.add(new RouteTarget(route, canaryUpstream, false, List.of(), mirror, errorUpstream));
    }
    return new RouteTarget(route, upstream, fallback, canaries, mirror, errorUpstream);
  }

  private static Upstream use(Upstream upstream, Set<Upstream> seen, List<Upstream> used) {
    if (seen.add(upstream)) {
      used.add(upstream);
    }
    return upstream;
  }

  /**
   * The route that answers {@code bare} with a 301 to the path of {@code slashed}: only that
   * policy, so nothing else of the rule (its HTTPS redirect, its checks) runs before it, as in
   * nginx, which redirects when it chooses the location.
   */
  private static Route slashRedirect(Route slashed, String bare) {
    return new Route(
        slashed.host(),
        PathMatch.exact(bare),
        slashed.backend(),
        slashed.origin(),
        HttpsPolicy.NONE,
        RoutePolicies.of(new TrailingSlashRedirectPolicy(slashed.path().rulePath())));
  }
}
