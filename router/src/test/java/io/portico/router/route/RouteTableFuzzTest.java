package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.portico.router.policy.TrailingSlashRedirectPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes {@link RouteTable#match} on tables built from fuzzed rules, against a plain scan that
 * applies {@link RoutePrecedence} with {@link HostnamePattern#matches} and {@link
 * PathMatch#matches} (see docs/security.md, "Fuzzing").
 *
 * <p>The input is text, one line per rule and the request last:
 *
 * <pre>
 * Eapp.test /exact       an Exact rule for app.test
 * P*.example.com /api    a Prefix rule for a wildcard host
 * P /                    a Prefix rule without a host
 * Fapp.test              app.test's own default backend
 * D                      the controller's default backend
 * App.Test. /api/../x    the request: host, then path, as the client sent them
 * </pre>
 *
 * Besides the fuzzed request, every rule's path is probed at its boundaries ({@code /p}, {@code
 * /p/}, {@code /p/x}, {@code /px}) on every host that names a rule.
 */
class RouteTableFuzzTest {

  private static final int MAX_RULES = 32;

  /**
   * Lookup never throws, answers exactly as the rulebook does, and what it answers is consistent:
   * an Exact rule only for its own path, a Prefix rule only for paths that start with its segments,
   * a host's rules only for hosts the host pattern matches.
   */
  @FuzzTest(maxDuration = "3m")
  void lookupFollowsTheRulebook(byte[] input) {
    String[] lines = new String(input, StandardCharsets.ISO_8859_1).split("\n", -1);
    Rules rules = new Rules();
    for (int i = 0; i < lines.length - 1 && i < MAX_RULES; i++) {
      rules.add(lines[i], i);
    }
    RouteTable table = rules.build();

    String request = lines[lines.length - 1];
    int space = request.indexOf(' ');
    String rawHost = space < 0 ? request : request.substring(0, space);
    String rawPath = space < 0 ? "/" : request.substring(space + 1);
    // Whatever a caller passes, lookup does not throw; only normalised input has an answer to
    // check.
    table.match(rawHost, rawPath);
    String host = HostnamePattern.normalizeRequestHost(rawHost);
    String path = RequestPaths.normalize(rawPath);
    if (path != null) {
      check(table, rules, host, path);
    }

    Set<String> hosts = new LinkedHashSet<>();
    hosts.add(host);
    hosts.add("");
    for (Route route : rules.effective()) {
      hosts.add(exampleHost(route.host()));
    }
    for (String probeHost : hosts) {
      for (Route route : rules.effective()) {
        String p = route.path().path();
        String base = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        for (String probe : List.of(p, base + "/", base + "/x", base + "x")) {
          String normal = RequestPaths.normalize(probe);
          if (normal != null) {
            check(table, rules, probeHost, normal);
          }
        }
      }
    }
  }

  private static void check(RouteTable table, Rules rules, String host, String path) {
    RouteTarget actual = table.match(host, path);
    Expected expected = rules.reference(host, path);
    String context = host + " " + path + "\n" + table.dump();
    if (expected.redirect() != null) {
      assertTrue(
          actual != null
              && actual.route().policies().all().size() == 1
              && actual.route().policies().all().get(0)
                  instanceof TrailingSlashRedirectPolicy redirect
              && redirect.path().equals(expected.redirect()),
          context);
      return;
    }
    assertSame(expected.route(), actual == null ? null : actual.route(), context);
    if (actual == null) {
      return;
    }
    assertEquals(expected.fallback(), actual.fallback(), context);
    assertEquals(actual.route().backend(), actual.upstream().backend(), context);
    if (actual.fallback()) {
      return;
    }
    Route route = actual.route();
    assertTrue(route.host().matches(host), context);
    String rulePath = route.path().path();
    if (route.path() instanceof PathMatch.Exact) {
      assertEquals(rulePath, path, context);
    } else if (!rulePath.equals("/")) {
      assertTrue(
          path.equals(rulePath) || path.startsWith(rulePath + "/"),
          () -> "Prefix " + rulePath + " matched " + path);
    }
  }

  /** A request host that the pattern matches. */
  private static String exampleHost(HostnamePattern pattern) {
    return switch (pattern.kind()) {
      case EXACT -> pattern.value();
      case WILDCARD -> "x." + pattern.wildcardDomain();
      case ANY -> "any.test";
    };
  }

  /**
   * What the rulebook says: a route (perhaps a fallback), or a trailing-slash redirect to {@code
   * redirect}.
   */
  private record Expected(Route route, boolean fallback, String redirect) {
    Expected(Route route, boolean fallback) {
      this(route, fallback, null);
    }
  }

  /** The rules of one input, kept as the builder is given them, for the reference scan. */
  private static final class Rules {
    private final List<Route> routes = new ArrayList<>();
    private final Map<HostnamePattern, Route> fallbacks = new LinkedHashMap<>();
    private Route defaultRoute;

    void add(String line, int number) {
      if (line.isEmpty()) {
        return;
      }
      char kind = line.charAt(0);
      String rest = line.substring(1);
      int space = rest.indexOf(' ');
      String host = space < 0 ? rest : rest.substring(0, space);
      String path = space < 0 ? "/" : rest.substring(space + 1);
      HostnamePattern pattern;
      PathMatch match;
      try {
        pattern = HostnamePattern.of(host);
        match = kind == 'E' ? PathMatch.exact(path) : PathMatch.prefix(path);
      } catch (IllegalArgumentException e) {
        // The translator reports such rules and leaves them out.
        return;
      }
      Route route =
          new Route(
              pattern,
              match,
              Backend.of(
                  new BackendId("fuzz", "svc" + number, "80"),
                  List.of(Endpoint.of("10.0.0.1", 80))),
              new RouteOrigin("fuzz", "line" + number));
      switch (kind) {
        case 'E', 'P' -> routes.add(route);
        case 'F' -> fallbacks.putIfAbsent(pattern, route);
        case 'D' -> defaultRoute = defaultRoute == null ? route : defaultRoute;
        default -> {}
      }
    }

    RouteTable build() {
      RouteTableBuilder builder = RouteTable.builder();
      routes.forEach(builder::add);
      fallbacks.values().forEach(builder::fallback);
      if (defaultRoute != null) {
        builder.defaultRoute(defaultRoute);
      }
      return builder.build();
    }

    /** The first claim on a host, path and match type keeps it, as the builder does. */
    List<Route> effective() {
      Map<List<Object>, Route> kept = new LinkedHashMap<>();
      for (Route route : routes) {
        kept.putIfAbsent(List.of(route.key()), route);
      }
      return new ArrayList<>(kept.values());
    }

    Expected reference(String host, String path) {
      List<Route> all = effective();
      Set<HostnamePattern> patterns = new LinkedHashSet<>(fallbacks.keySet());
      all.forEach(route -> patterns.add(route.host()));
      HostnamePattern selected = HostnamePattern.any();
      for (HostnamePattern.Kind kind :
          List.of(HostnamePattern.Kind.EXACT, HostnamePattern.Kind.WILDCARD)) {
        for (HostnamePattern candidate : patterns) {
          if (selected.kind() == HostnamePattern.Kind.ANY
              && candidate.kind() == kind
              && candidate.matches(host)) {
            selected = candidate;
          }
        }
      }
      HostnamePattern chosen = selected;
      boolean exact =
          all.stream()
              .anyMatch(
                  route ->
                      route.host().equals(chosen)
                          && route.path() instanceof PathMatch.Exact
                          && route.path().matches(path));
      if (!exact
          && !path.equals("/")
          && all.stream()
              .anyMatch(
                  route ->
                      route.host().equals(chosen) && route.path().rulePath().equals(path + "/"))) {
        return new Expected(null, false, path + "/");
      }
      Route best =
          all.stream()
              .filter(route -> route.host().equals(chosen) && route.path().matches(path))
              .max(
                  Comparator.comparingInt((Route route) -> route.path().path().length())
                      .thenComparing(route -> route.path() instanceof PathMatch.Exact))
              .orElse(null);
      if (best != null) {
        return new Expected(best, false);
      }
      Route fallback = fallbacks.getOrDefault(chosen, defaultRoute);
      return new Expected(fallback, fallback != null);
    }
  }
}
