package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.address.CidrSet;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.limit.ClientConnectionLimit;
import io.portico.router.policy.limit.LocalConnectionLimitPolicy;
import io.portico.router.policy.limit.LocalRateLimitPolicy;
import io.portico.router.policy.limit.RateLimit;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimitFamilyTest {

  private static final RateLimitFamily FAMILY = new RateLimitFamily();
  private static final String P = "nginx.ingress.kubernetes.io/";

  private static List<RequestPolicy> policies(FamilyRun run) {
    return run.policy.routeRules().isEmpty()
        ? List.of()
        : run.policy
            .routeRules()
            .get(0)
            .policies(HostnamePattern.of("a.test"), PathMatch.prefix("/"));
  }

  @Test
  void withoutAnnotationsNoPolicy() {
    FamilyRun run = FamilyRun.of(FAMILY, Map.of());
    assertEquals(List.of(), policies(run));
    assertEquals(List.of(), run.reports);
  }

  @Test
  void readsRatesBurstAndAllowlistUnderTheIngressZone() {
    ControllerConfig config =
        ControllerConfig.read(Map.of("limit-req-status-code", "429"), f -> {});
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of(
                P + "limit-rps", "10",
                P + "limit-rpm", "300",
                P + "limit-burst-multiplier", "2",
                P + "limit-whitelist", "10.0.0.0/8, 192.168.1.1"),
            Set.of(),
            config);
    RateLimit limit =
        new RateLimit(
            "default/test", 10, 300, 2, CidrSet.parse(List.of("10.0.0.0/8", "192.168.1.1")), 429);
    assertEquals(List.of(new LocalRateLimitPolicy(limit)), policies(run));
    assertEquals(List.of(), run.reports);
  }

  @Test
  void anUnreadableLimitOrAllowlistRefusesTheIngress() {
    FamilyRun rate = FamilyRun.of(FAMILY, Map.of(P + "limit-rps", "ten"));
    assertTrue(rate.reports.get(0).startsWith("refuse limit-rps"), rate.reports.toString());
    FamilyRun allow =
        FamilyRun.of(FAMILY, Map.of(P + "limit-rps", "1", P + "limit-allowlist", "office"));
    assertTrue(allow.reports.get(0).startsWith("refuse limit-allowlist"), allow.reports.toString());
  }

  @Test
  void readsConnectionsWithTheAllowlistAndTheConnStatusCode() {
    ControllerConfig config =
        ControllerConfig.read(
            Map.of("limit-conn-status-code", "429", "limit-req-status-code", "503"), f -> {});
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of(P + "limit-connections", "3", P + "limit-allowlist", "10.0.0.0/8"),
            Set.of(),
            config);
    ClientConnectionLimit limit =
        new ClientConnectionLimit("default/test", 3, CidrSet.parse(List.of("10.0.0.0/8")), 429);
    assertEquals(List.of(new LocalConnectionLimitPolicy(limit)), policies(run));
    assertEquals(List.of(), run.reports);
  }

  @Test
  void connectionsAndRatesTogetherCountTheRatesFirst() {
    FamilyRun run =
        FamilyRun.of(FAMILY, Map.of(P + "limit-connections", "2", P + "limit-rps", "10"));
    List<RequestPolicy> policies = policies(run);
    assertEquals(2, policies.size(), policies.toString());
    assertTrue(policies.get(0) instanceof LocalRateLimitPolicy, policies.toString());
    assertEquals(
        new LocalConnectionLimitPolicy(
            new ClientConnectionLimit("default/test", 2, CidrSet.EMPTY, 503)),
        policies.get(1));
  }

  @Test
  void connectionsAloneHaveNoBurst() {
    FamilyRun run =
        FamilyRun.of(
            FAMILY, Map.of(P + "limit-connections", "2", P + "limit-burst-multiplier", "3"));
    assertEquals(1, policies(run).size());
    assertTrue(
        run.reports.get(0).startsWith("unused limit-burst-multiplier"), run.reports.toString());
  }

  @Test
  void zeroConnectionsAskForNothingAndAnUnreadableValueRefuses() {
    FamilyRun zero = FamilyRun.of(FAMILY, Map.of(P + "limit-connections", "0"));
    assertEquals(List.of(), policies(zero));
    assertEquals(List.of(), zero.reports);
    for (String bad : List.of("one", "-1", "1.5")) {
      FamilyRun run = FamilyRun.of(FAMILY, Map.of(P + "limit-connections", bad));
      assertEquals(List.of(), policies(run), bad);
      assertTrue(run.reports.get(0).startsWith("refuse limit-connections"), run.reports.toString());
    }
  }
}
