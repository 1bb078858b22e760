package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.address.CidrSet;
import io.portico.router.memcached.MemcachedCounters;
import io.portico.router.memcached.MemcachedServer;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.limit.GlobalRateLimit;
import io.portico.router.policy.limit.GlobalRateLimitPolicy;
import io.portico.router.policy.limit.ThrottleKey;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cases of ingress-nginx v1.11's globalratelimit parser test, and Portico's refusals. */
class GlobalRateLimitFamilyTest {

  private static final GlobalRateLimitFamily FAMILY = new GlobalRateLimitFamily();
  private static final String P = "nginx.ingress.kubernetes.io/";

  private static final ControllerConfig MEMCACHED =
      ControllerConfig.read(Map.of("global-rate-limit-memcached-host", "memc.default"), f -> {});

  private static final MemcachedServer DEFAULT_SERVER =
      new MemcachedServer("memc.default", 11211, Duration.ofMillis(50), Duration.ofSeconds(10), 50);

  private static FamilyRun run(ControllerConfig config, String... pairs) {
    Map<String, String> annotations = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      annotations.put(P + pairs[i], pairs[i + 1]);
    }
    return FamilyRun.of(FAMILY, annotations, Set.of(), config);
  }

  private static List<RequestPolicy> policies(FamilyRun run) {
    return run.policy.routeRules().isEmpty()
        ? List.of()
        : run.policy
            .routeRules()
            .get(0)
            .policies(HostnamePattern.of("a.test"), PathMatch.prefix("/"));
  }

  private static GlobalRateLimitPolicy policy(
      int limit, int window, String key, CidrSet ignored, int status, MemcachedServer server) {
    return new GlobalRateLimitPolicy(
        new GlobalRateLimit("default/test", limit, window, new ThrottleKey(key), ignored, status),
        new MemcachedCounters(server));
  }

  @Test
  void noAnnotationNoPolicy() {
    FamilyRun run = run(MEMCACHED);
    assertEquals(List.of(), policies(run));
    assertEquals(List.of(), run.reports);
  }

  @Test
  void theMinimumIsALimitAndAWindowCountedByClientAddress() {
    FamilyRun run = run(MEMCACHED, "global-rate-limit", "100", "global-rate-limit-window", "2m");
    assertEquals(
        List.of(policy(100, 120, "$remote_addr", CidrSet.EMPTY, 429, DEFAULT_SERVER)),
        policies(run));
    assertEquals(List.of(), run.reports);
  }

  @Test
  void keyIgnoredRangesAndTheConfigMapsMemcachedSettings() {
    ControllerConfig config =
        ControllerConfig.read(
            Map.of(
                "global-rate-limit-memcached-host", "10.0.0.9",
                "global-rate-limit-memcached-port", "11311",
                "global-rate-limit-memcached-connect-timeout", "100",
                "global-rate-limit-memcached-max-idle-timeout", "5000",
                "global-rate-limit-memcached-pool-size", "100",
                "global-rate-limit-status-code", "503"),
            f -> {});
    FamilyRun run =
        run(
            config,
            "global-rate-limit",
            "100",
            "global-rate-limit-window",
            "2m",
            "global-rate-limit-key",
            "${remote_addr}${http_x_api_client}",
            "global-rate-limit-ignored-cidrs",
            "127.0.0.1, 200.200.24.0/24");
    MemcachedServer server =
        new MemcachedServer("10.0.0.9", 11311, Duration.ofMillis(100), Duration.ofSeconds(5), 100);
    assertEquals(
        List.of(
            policy(
                100,
                120,
                "${remote_addr}${http_x_api_client}",
                CidrSet.parse(List.of("127.0.0.1", "200.200.24.0/24")),
                503,
                server)),
        policies(run));
    assertEquals(List.of(), run.reports);
  }

  @Test
  void withoutAMemcachedHostNothingIsLimitedAndAWarningSaysSo() {
    FamilyRun run =
        run(ControllerConfig.DEFAULTS, "global-rate-limit", "5", "global-rate-limit-window", "1m");
    assertEquals(List.of(), policies(run));
    assertEquals(1, run.reports.size(), run.reports.toString());
    assertTrue(
        run.reports
            .get(0)
            .startsWith(
                "invalid nginx.ingress.kubernetes.io/global-rate-limit: \"5\" (expected: a"
                    + " memcached server"),
        run.reports.toString());
  }

  @Test
  void aWindowThatDoesNotReadRefusesTheIngress() {
    for (String window : List.of("2mb", "500ms", "", "1000h")) {
      FamilyRun run =
          run(MEMCACHED, "global-rate-limit", "100", "global-rate-limit-window", window);
      assertEquals(List.of(), policies(run), window);
      assertTrue(
          run.reports.get(0).startsWith("refuse global-rate-limit-window"),
          window + ": " + run.reports);
    }
    FamilyRun none = run(MEMCACHED, "global-rate-limit", "100");
    assertTrue(
        none.reports.get(0).startsWith("refuse global-rate-limit:"), none.reports.toString());
  }

  @Test
  void aLimitOrRangesThatDoNotReadRefuseTheIngress() {
    FamilyRun limit = run(MEMCACHED, "global-rate-limit", "many", "global-rate-limit-window", "1m");
    assertTrue(
        limit.reports.get(0).startsWith("refuse global-rate-limit:"), limit.reports.toString());
    FamilyRun ranges =
        run(
            MEMCACHED,
            "global-rate-limit",
            "1",
            "global-rate-limit-window",
            "1m",
            "global-rate-limit-ignored-cidrs",
            "10.0.0.0/8, nowhere");
    assertTrue(
        ranges.reports.get(0).startsWith("refuse global-rate-limit-ignored-cidrs"),
        ranges.reports.toString());
  }

  @Test
  void anUnknownVariableRefusesTheIngressAndAKeyOutsideTheSyntaxCountsTheAddress() {
    FamilyRun unknown =
        run(
            MEMCACHED,
            "global-rate-limit",
            "1",
            "global-rate-limit-window",
            "1m",
            "global-rate-limit-key",
            "$ssl_client_s_dn");
    assertEquals(List.of(), policies(unknown));
    assertTrue(
        unknown.reports.get(0).startsWith("refuse global-rate-limit-key")
            && unknown.reports.get(0).contains("$ssl_client_s_dn is not one"),
        unknown.reports.toString());
    FamilyRun syntax =
        run(
            MEMCACHED,
            "global-rate-limit",
            "1",
            "global-rate-limit-window",
            "1m",
            "global-rate-limit-key",
            "$remote_addr; drop");
    assertEquals(
        List.of(policy(1, 60, "$remote_addr", CidrSet.EMPTY, 429, DEFAULT_SERVER)),
        policies(syntax));
    assertTrue(syntax.reports.get(0).endsWith("; using $remote_addr"), syntax.reports.toString());
  }

  @Test
  void aZeroLimitAsksForNothing() {
    FamilyRun run = run(MEMCACHED, "global-rate-limit", "0", "global-rate-limit-window", "1m");
    assertEquals(List.of(), policies(run));
    assertEquals(
        List.of("unused global-rate-limit-window: global-rate-limit is not set"), run.reports);
  }

  @Test
  void equalAnnotationsGiveEqualPolicies() {
    assertEquals(
        policies(run(MEMCACHED, "global-rate-limit", "3", "global-rate-limit-window", "1s")),
        policies(run(MEMCACHED, "global-rate-limit", "3", "global-rate-limit-window", "1s")));
  }
}
