package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.balance.AffinityMode;
import io.portico.router.balance.BackendPolicy;
import io.portico.router.balance.CookieAffinity;
import io.portico.router.balance.LoadBalancing;
import io.portico.router.balance.SameSite;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AffinityFamilyTest {

  private static final AffinityFamily FAMILY = new AffinityFamily();

  @Test
  void withoutAnnotationsTheDefaultPolicy() {
    FamilyRun run = FamilyRun.of(FAMILY, Map.of());
    assertEquals(BackendPolicy.DEFAULT, run.policy.backend());
    assertEquals(List.of(), run.reports);
  }

  @Test
  void readsTheCookieUnderEitherPrefix() {
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of(
                "nginx.ingress.kubernetes.io/affinity", "cookie",
                "nginx.ingress.kubernetes.io/affinity-mode", "persistent",
                "portico.io/session-cookie-name", "route",
                "nginx.ingress.kubernetes.io/session-cookie-max-age", "3600",
                "nginx.ingress.kubernetes.io/session-cookie-samesite", "lax",
                "nginx.ingress.kubernetes.io/session-cookie-secure", "true",
                "nginx.ingress.kubernetes.io/load-balance", "ewma"));
    CookieAffinity cookie =
        CookieAffinity.builder()
            .mode(AffinityMode.PERSISTENT)
            .name("route")
            .maxAgeSeconds(3600)
            .sameSite(SameSite.LAX)
            .secure(true)
            .build();
    assertEquals(BackendPolicy.of(LoadBalancing.LEAST_REQUEST, cookie), run.policy.backend());
    assertEquals(List.of(), run.reports);
  }

  @Test
  void aBadValueIsReportedAndTheDefaultApplies() {
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of(
                "nginx.ingress.kubernetes.io/affinity", "cookie",
                "nginx.ingress.kubernetes.io/session-cookie-expires", "2h",
                "nginx.ingress.kubernetes.io/load-balance", "least_conn"));
    assertEquals(
        BackendPolicy.of(LoadBalancing.ROUND_ROBIN, CookieAffinity.builder().build()),
        run.policy.backend());
    assertEquals(
        List.of(
            "invalid nginx.ingress.kubernetes.io/load-balance: least_conn (expected: round_robin,"
                + " least_request, random or ewma); using round_robin",
            "invalid nginx.ingress.kubernetes.io/session-cookie-expires: 2h (expected: "
                + CookieAffinity.SECONDS_RULE
                + "); not set"),
        run.reports);
  }

  @Test
  void cookieSettingsWithoutCookieAffinityAreUnused() {
    FamilyRun run = FamilyRun.of(FAMILY, Map.of("portico.io/session-cookie-name", "route"));
    assertEquals(BackendPolicy.DEFAULT, run.policy.backend());
    assertEquals(
        List.of(
            "unused session-cookie-name: read only with affinity: cookie, and affinity is not set"),
        run.reports);
  }

  @Test
  void theControllerDefaultBalancesWhatTheIngressDoesNotSay() {
    ControllerConfig random =
        ControllerConfig.read(
            Map.of("load-balance", "random"),
            finding -> {
              throw new AssertionError(finding.toString());
            });
    FamilyRun run = FamilyRun.of(FAMILY, Map.of(), Set.of(), random);
    assertEquals(BackendPolicy.of(LoadBalancing.RANDOM), run.policy.backend());
    FamilyRun annotated =
        FamilyRun.of(FAMILY, Map.of("portico.io/load-balance", "round_robin"), Set.of(), random);
    assertEquals(BackendPolicy.DEFAULT, annotated.policy.backend());
    FamilyRun bad =
        FamilyRun.of(FAMILY, Map.of("portico.io/load-balance", "fastest"), Set.of(), random);
    assertEquals(BackendPolicy.of(LoadBalancing.RANDOM), bad.policy.backend());
    assertEquals(
        List.of(
            "invalid portico.io/load-balance: fastest (expected: round_robin, least_request,"
                + " random or ewma); using random"),
        bad.reports);
  }
}
