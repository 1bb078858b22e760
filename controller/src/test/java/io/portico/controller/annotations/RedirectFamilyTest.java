package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.policy.RedirectPolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedirectFamilyTest {

  private static final RedirectFamily FAMILY = new RedirectFamily();
  private static final String NGINX = "nginx.ingress.kubernetes.io/";

  private static List<RequestPolicy> policies(FamilyRun run) {
    return run.policy.routeRules().stream()
        .flatMap(
            rule -> rule.policies(HostnamePattern.of("a.test"), PathMatch.prefix("/")).stream())
        .toList();
  }

  @Test
  void permanentRedirectIs301UnlessItsCodeSaysOtherwise() {
    FamilyRun standard =
        FamilyRun.of(FAMILY, Map.of(NGINX + "permanent-redirect", "http://redirect.example.com"));
    assertEquals(
        List.of(new RedirectPolicy(301, "http://redirect.example.com")), policies(standard));
    FamilyRun custom =
        FamilyRun.of(
            FAMILY,
            Map.of(
                NGINX + "permanent-redirect",
                "http://redirect.example.com",
                NGINX + "permanent-redirect-code",
                "308"));
    assertEquals(List.of(new RedirectPolicy(308, "http://redirect.example.com")), policies(custom));
    // Out of range: ingress-nginx falls back to 301, and Portico says so.
    FamilyRun outOfRange =
        FamilyRun.of(
            FAMILY,
            Map.of(NGINX + "permanent-redirect", "/x", NGINX + "permanent-redirect-code", "309"));
    assertEquals(List.of(new RedirectPolicy(301, "/x")), policies(outOfRange));
    assertEquals(1, outOfRange.reports.size());
  }

  @Test
  void temporalRedirectWinsWhenBothAreSet() {
    FamilyRun both =
        FamilyRun.of(
            FAMILY,
            Map.of(
                NGINX + "permanent-redirect", "http://permanent.test",
                NGINX + "temporal-redirect", "https://temporal.test/x?y=1",
                NGINX + "temporal-redirect-code", "307"));
    assertEquals(List.of(new RedirectPolicy(307, "https://temporal.test/x?y=1")), policies(both));
    assertEquals(
        List.of("unused permanent-redirect: temporal-redirect is set and wins"), both.reports);
    FamilyRun code308 =
        FamilyRun.of(
            FAMILY,
            Map.of(
                NGINX + "temporal-redirect",
                "http://t.test",
                NGINX + "temporal-redirect-code",
                "308"));
    assertEquals(List.of(new RedirectPolicy(302, "http://t.test")), policies(code308));
  }

  @Test
  void aTemporalRedirectWithoutAnHttpSchemeDropsEveryRedirect() {
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of(
                NGINX + "temporal-redirect", "ftp://files.test",
                NGINX + "permanent-redirect", "http://p.test",
                NGINX + "from-to-www-redirect", "true"));
    assertEquals(List.of(), policies(run));
    assertFalse(run.policy.routing().fromToWwwRedirect());
    assertTrue(
        run.reports.get(0).startsWith("invalid nginx.ingress.kubernetes.io/temporal-redirect"));
  }

  @Test
  void appRootAndFromToWwwAreForTheHosts() {
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of(NGINX + "app-root", "/foo", NGINX + "from-to-www-redirect", "true"),
            Set.of(),
            ControllerConfig.read(
                Map.of("http-redirect-code", "301"),
                finding -> {
                  throw new AssertionError(finding.toString());
                }));
    assertEquals("/foo", run.policy.routing().appRoot());
    assertTrue(run.policy.routing().fromToWwwRedirect());
    assertEquals(301, run.policy.routing().wwwRedirectStatus());
    assertEquals(List.of(), policies(run));
    for (String bad : List.of("http://evil.test/foo", "//evil.test", "foo", "/a b")) {
      FamilyRun badRoot = FamilyRun.of(FAMILY, Map.of(NGINX + "app-root", bad));
      assertNull(badRoot.policy.routing().appRoot(), bad);
      assertEquals(1, badRoot.reports.size(), bad);
    }
  }

  @Test
  void urlsWithCharactersIngressNginxRefusesAreReported() {
    for (String bad : List.of("http://a.test/$uri", "http://a.test/#x", "http://a\r\nb", "//x")) {
      FamilyRun run = FamilyRun.of(FAMILY, Map.of(NGINX + "permanent-redirect", bad));
      assertEquals(List.of(), policies(run), bad);
      assertEquals(1, run.reports.size(), bad);
    }
  }
}
