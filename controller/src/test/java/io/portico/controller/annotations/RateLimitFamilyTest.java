package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.address.CidrSet;
import io.portico.router.policy.RequestPolicy;
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
}
