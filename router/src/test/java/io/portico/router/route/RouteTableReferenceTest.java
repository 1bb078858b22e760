package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.TrailingSlashRedirectPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The table's lookup against the rulebook itself: random tables and requests, each answered by
 * {@link RouteTable#match} and by a plain scan that applies {@link RoutePrecedence} with {@link
 * HostnamePattern#matches} and {@link PathMatch#matches}: Exact, then the trailing-slash redirect,
 * then the regex rules in their order, then the longest Prefix. Also a table edited from another,
 * several times over, must equal and answer exactly as one built from scratch.
 */
class RouteTableReferenceTest {

  private static final String[] LABELS = {"a", "b", "ab", "c"};
  private static final String[] SEGMENTS = {"x", "y", "xy", "x.y", "%2F", "api", "v1"};

  @Test
  void matchesTheRulebookOnRandomTables() {
    Random random = new Random(7);
    for (int round = 0; round < 300; round++) {
      Table table = randomTable(random);
      RouteTable built = table.build(RouteTable.builder());
      for (int r = 0; r < 200; r++) {
        String host = randomRequestHost(random);
        String path = randomPath(random, 5, true);
        Object expected = table.reference(host, path);
        Object actual = answer(built.match(host, path));
        if (expected instanceof String redirect) {
          assertEquals(redirect, actual, () -> host + path + "\n" + built.dump());
        } else {
          assertSame(expected, actual, () -> host + path + "\n" + built.dump());
        }
      }
    }
  }

  @Test
  void anEditedTableAnswersAsOneBuiltFromScratch() {
    Random random = new Random(11);
    for (int round = 0; round < 300; round++) {
      Table first = randomTable(random);
      RouteTable earlier = first.build(RouteTable.builder());
      RouteTable edited = earlier;
      // Several edits in a row, each from the last, as the translator makes them.
      Table current = first;
      for (int step = 0; step < 3; step++) {
        Table next = current.mutated(random);
        edited = next.editFrom(current, edited);
        current = next;
      }
      RouteTable fresh = current.build(RouteTable.builder());
      assertEquals(fresh, edited);
      assertEquals(edited, fresh);
      assertEquals(fresh.dump(), edited.dump());
      assertEquals(fresh.endpointCount(), edited.endpointCount(), fresh.dump());
      assertEquals(fresh.hostCount(), edited.hostCount());
      assertEquals(fresh.routeCount(), edited.routeCount());
      for (int r = 0; r < 100; r++) {
        String host = randomRequestHost(random);
        String path = randomPath(random, 5, true);
        Object a = answer(fresh.match(host, path));
        Object b = answer(edited.match(host, path));
        if (a instanceof String) {
          assertEquals(a, b, host + path);
        } else {
          assertSame(a, b, host + path);
        }
      }
    }
  }

  @Test
  void unchangedHostsKeepTheirUpstreamsAndChangedOnesShareThem() {
    Backend shared = backend("shared");
    Route a = new Route(HostnamePattern.of("a.test"), PathMatch.prefix("/"), shared, origin());
    Route b1 = new Route(HostnamePattern.of("b.test"), PathMatch.prefix("/1"), shared, origin());
    Route b2 =
        new Route(
            HostnamePattern.of("b.test"), PathMatch.prefix("/2"), backend("shared"), origin());
    RouteTable earlier = build(RouteTable.builder(), a, b1);
    RouteTable later = earlier.edit().host(b1.host(), List.of(b1, b2), null).build();
    Upstream before = earlier.match("a.test", "/").upstream();
    assertSame(before, later.match("a.test", "/").upstream());
    assertSame(before, later.match("b.test", "/1").upstream());
    assertSame(before, later.match("b.test", "/2").upstream());
    assertNotSame(earlier, later);
    assertNotEquals(earlier, later);
    assertEquals(later, build(RouteTable.builder(), a, b1, b2));
    // Editing the same table twice still shares what the second edit keeps.
    RouteTable again = earlier.edit().host(b1.host(), List.of(b1), null).build();
    assertEquals(earlier, again);
    assertSame(before, again.match("b.test", "/1").upstream());
  }

  /** The route of a target, or {@code "301 <location>"} for a trailing-slash redirect. */
  private static Object answer(RouteTarget target) {
    if (target == null) {
      return null;
    }
    for (RequestPolicy policy : target.route().policies().all()) {
      if (policy instanceof TrailingSlashRedirectPolicy redirect) {
        return "301 " + redirect.path();
      }
    }
    return target.route();
  }

  private static RouteTable build(RouteTableBuilder builder, Route... routes) {
    for (Route route : routes) {
      builder.add(route);
    }
    return builder.build();
  }

  /** A table as a list of rules and fallbacks, so it can be built twice and changed. */
  private record Table(List<Route> routes, Map<HostnamePattern, Route> fallbacks, Route fallback) {

    RouteTable build(RouteTableBuilder builder) {
      routes.forEach(builder::add);
      fallbacks.values().forEach(builder::fallback);
      if (fallback != null) {
        builder.defaultRoute(fallback);
      }
      return builder.build();
    }

    /** {@code table}, made from {@code before}, edited into this: only the hosts that differ. */
    RouteTable editFrom(Table before, RouteTable table) {
      Map<HostnamePattern, List<Route>> mine = byHost();
      Map<HostnamePattern, List<Route>> theirs = before.byHost();
      RouteTableEdit edit = table.edit().defaultRoute(fallback);
      java.util.Set<HostnamePattern> hosts = new java.util.LinkedHashSet<>(mine.keySet());
      hosts.addAll(theirs.keySet());
      for (HostnamePattern host : hosts) {
        List<Route> rules = mine.getOrDefault(host, List.of());
        if (!identities(rules).equals(identities(theirs.getOrDefault(host, List.of())))
            || fallbacks.get(host) != before.fallbacks.get(host)) {
          edit.host(host, rules, fallbacks.get(host));
        }
      }
      return edit.build();
    }

    private static java.util.Set<Route> identities(List<Route> routes) {
      java.util.Set<Route> set =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      set.addAll(routes);
      return set;
    }

    private Map<HostnamePattern, List<Route>> byHost() {
      Map<HostnamePattern, List<Route>> hosts = new LinkedHashMap<>();
      for (Route route : effective()) {
        hosts.computeIfAbsent(route.host(), h -> new ArrayList<>()).add(route);
      }
      fallbacks.keySet().forEach(host -> hosts.computeIfAbsent(host, h -> new ArrayList<>()));
      return hosts;
    }

    /** Some routes dropped, some added, the rest the same objects. */
    Table mutated(Random random) {
      List<Route> next = new ArrayList<>();
      for (Route route : routes) {
        if (random.nextInt(5) != 0) {
          next.add(route);
        }
      }
      for (int i = random.nextInt(4); i > 0; i--) {
        next.add(randomRoute(random));
      }
      Map<HostnamePattern, Route> nextFallbacks = new LinkedHashMap<>(fallbacks);
      if (random.nextBoolean()) {
        HostnamePattern host = randomPattern(random);
        nextFallbacks.put(host, fallbackRoute(host));
      }
      return new Table(next, nextFallbacks, random.nextInt(4) == 0 ? null : fallback);
    }

    /** The first claim on host, path and type keeps it, as the builder does. */
    List<Route> effective() {
      Map<Route.RouteKey, Route> kept = new LinkedHashMap<>();
      routes.forEach(route -> kept.putIfAbsent(route.key(), route));
      return new ArrayList<>(kept.values());
    }

    /**
     * The route for a request by the rulebook, or {@code "301 <location>"} when the path is one a
     * rule writes with a trailing slash (on a host without regex rules).
     */
    Object reference(String host, String path) {
      List<Route> all = effective();
      HostnamePattern selected = HostnamePattern.any();
      for (HostnamePattern.Kind kind :
          List.of(HostnamePattern.Kind.EXACT, HostnamePattern.Kind.WILDCARD)) {
        for (HostnamePattern candidate : patterns(all)) {
          if (candidate.kind() == kind && candidate.matches(host)) {
            selected = candidate;
            break;
          }
        }
        if (selected.kind() != HostnamePattern.Kind.ANY) {
          break;
        }
      }
      HostnamePattern chosen = selected;
      List<Route> hostRules = all.stream().filter(r -> r.host().equals(chosen)).toList();
      for (Route rule : hostRules) {
        if (rule.path() instanceof PathMatch.Exact && rule.path().matches(path)) {
          return rule;
        }
      }
      boolean regexHost = hostRules.stream().anyMatch(r -> r.path() instanceof PathMatch.Regex);
      if (!regexHost
          && hostRules.stream()
              .anyMatch(r -> !path.equals("/") && r.path().rulePath().equals(path + "/"))) {
        return "301 " + path + "/";
      }
      // Regex rules: longest expression first, then the greater one; the first match wins.
      Route regex =
          hostRules.stream()
              .filter(r -> r.path() instanceof PathMatch.Regex)
              .sorted(
                  Comparator.comparingInt((Route r) -> -r.path().path().length())
                      .thenComparing((Route r) -> r.path().path(), Comparator.reverseOrder()))
              .filter(r -> r.path().matches(path))
              .findFirst()
              .orElse(null);
      if (regex != null) {
        return regex;
      }
      Route best =
          hostRules.stream()
              .filter(r -> r.path() instanceof PathMatch.Prefix && r.path().matches(path))
              .max(Comparator.comparingInt((Route r) -> r.path().path().length()))
              .orElse(null);
      if (best != null) {
        return best;
      }
      Route own = fallbacks.get(chosen);
      return own != null ? own : fallback;
    }

    private List<HostnamePattern> patterns(List<Route> all) {
      List<HostnamePattern> patterns = new ArrayList<>();
      all.forEach(r -> patterns.add(r.host()));
      patterns.addAll(fallbacks.keySet());
      return patterns;
    }
  }

  private static Table randomTable(Random random) {
    List<Route> routes = new ArrayList<>();
    for (int i = random.nextInt(30); i > 0; i--) {
      routes.add(randomRoute(random));
    }
    Map<HostnamePattern, Route> fallbacks = new LinkedHashMap<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      HostnamePattern host = randomPattern(random);
      fallbacks.putIfAbsent(host, fallbackRoute(host));
    }
    Route fallback =
        random.nextBoolean()
            ? new Route(
                HostnamePattern.any(),
                PathMatch.prefix("/"),
                backend("default"),
                RouteOrigin.CONTROLLER_DEFAULT)
            : null;
    return new Table(routes, fallbacks, fallback);
  }

  private static Route randomRoute(Random random) {
    String path = randomPath(random, 3, false);
    if (random.nextInt(4) == 0 && !path.equals("/")) {
      path = path + "/";
    }
    PathMatch match =
        switch (random.nextInt(7)) {
          case 0 -> PathMatch.regex(randomExpression(random, path));
          case 1, 2, 3 -> PathMatch.exact(path);
          default -> PathMatch.prefix(path);
        };
    return new Route(
        randomPattern(random), match, backend("svc" + random.nextInt(5)), origin(), policy(random));
  }

  /** An expression made from a path: as it is, upper-cased, or with a part left open. */
  private static String randomExpression(Random random, String path) {
    String escaped = path.replace(".", "\\.");
    return switch (random.nextInt(6)) {
      case 0 -> escaped.toUpperCase(java.util.Locale.ROOT);
      case 1 -> escaped + ".*";
      case 2 -> escaped.replaceFirst("/[^/]*$", "/[a-z]+");
      case 3 -> "/(" + SEGMENTS[random.nextInt(3)] + "|v1)" + escaped;
      case 4 -> escaped + "|/" + SEGMENTS[random.nextInt(SEGMENTS.length)];
      default -> escaped;
    };
  }

  private static HttpsPolicy policy(Random random) {
    return random.nextInt(4) == 0 ? HttpsPolicy.REDIRECT_AND_HSTS : HttpsPolicy.NONE;
  }

  private static Route fallbackRoute(HostnamePattern host) {
    return new Route(host, PathMatch.prefix("/"), backend("fallback-" + host.value()), origin());
  }

  private static HostnamePattern randomPattern(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> HostnamePattern.any();
      case 1 -> HostnamePattern.of("*." + LABELS[random.nextInt(LABELS.length)] + ".test");
      default -> HostnamePattern.of(randomName(random, 1 + random.nextInt(2)) + ".test");
    };
  }

  private static String randomRequestHost(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> "";
      case 1 -> LABELS[random.nextInt(LABELS.length)];
      default -> randomName(random, 1 + random.nextInt(3)) + ".test";
    };
  }

  private static String randomName(Random random, int labels) {
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < labels; i++) {
      if (i > 0) {
        name.append('.');
      }
      name.append(LABELS[random.nextInt(LABELS.length)]);
    }
    return name.toString();
  }

  /** A normalised path: no empty or dot segments, perhaps a trailing slash. */
  private static String randomPath(Random random, int maxSegments, boolean trailingSlash) {
    int segments = random.nextInt(maxSegments + 1);
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < segments; i++) {
      path.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
    }
    if (path.length() == 0 || (trailingSlash && random.nextInt(4) == 0)) {
      path.append('/');
    }
    return path.toString();
  }

  private static Backend backend(String service) {
    return Backend.of(
        new BackendId("ns", service, "80"), List.of(Endpoint.of("10.0.0." + service.length(), 80)));
  }

  private static RouteOrigin origin() {
    return new RouteOrigin("ns", "ing");
  }
}
