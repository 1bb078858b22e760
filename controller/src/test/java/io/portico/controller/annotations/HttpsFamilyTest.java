package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpsFamilyTest {

  private static final HttpsFamily FAMILY = new HttpsFamily();

  @ParameterizedTest(name = "{0} with ssl-redirect={1} force={2}: redirect={3} hsts={4}")
  @CsvSource({
    // host, ssl-redirect, force-ssl-redirect, redirect, hsts
    "a.test, '', '', true, true",
    "a.test, false, '', false, true",
    "b.test, '', '', false, false",
    "b.test, '', true, true, false",
    "x.w.test, '', '', true, true",
    "y.x.w.test, '', '', false, false",
    "*.w.test, '', '', true, true",
  })
  void tlsHostsRedirectUnlessTheIngressOptsOut(
      String host, String sslRedirect, String force, boolean redirect, boolean hsts) {
    Map<String, String> annotations = new java.util.HashMap<>();
    if (!sslRedirect.isEmpty()) {
      annotations.put("nginx.ingress.kubernetes.io/ssl-redirect", sslRedirect);
    }
    if (!force.isEmpty()) {
      annotations.put("portico.io/force-ssl-redirect", force);
    }
    FamilyRun run =
        FamilyRun.of(
            FAMILY, annotations, Set.of("a.test", "*.w.test"), AnnotationDefaults.BUILT_IN);
    assertEquals(new HttpsPolicy(redirect, hsts), run.policy.https(HostnamePattern.of(host)));
    assertEquals(List.of(), run.reports);
  }

  @Test
  void aBadValueIsReportedAndTheDefaultApplies() {
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of("portico.io/ssl-redirect", "yes"),
            Set.of("a.test"),
            AnnotationDefaults.BUILT_IN);
    assertEquals(HttpsPolicy.REDIRECT_AND_HSTS, run.policy.https(HostnamePattern.of("a.test")));
    assertEquals(
        List.of(
            "invalid portico.io/ssl-redirect: \"yes\" (expected: \"true\" or \"false\"); true"
                + " applies"),
        run.reports);
  }

  @Test
  void preserveTrailingSlashGoesWithTheRedirect() {
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of("nginx.ingress.kubernetes.io/preserve-trailing-slash", "true"),
            Set.of("a.test"),
            AnnotationDefaults.BUILT_IN);
    assertEquals(new HttpsPolicy(true, true, true), run.policy.https(HostnamePattern.of("a.test")));
    assertEquals(HttpsPolicy.NONE, run.policy.https(HostnamePattern.of("b.test")));
    assertEquals(List.of(), run.reports);
  }

  @Test
  void goBooleansReadAsIngressNginxReadsThem() {
    FamilyRun run = FamilyRun.of(FAMILY, Map.of("portico.io/force-ssl-redirect", "1"));
    assertEquals(new HttpsPolicy(true, false), run.policy.https(HostnamePattern.of("b.test")));
    FamilyRun off =
        FamilyRun.of(
            FAMILY,
            Map.of("nginx.ingress.kubernetes.io/ssl-redirect", "F"),
            Set.of("a.test"),
            AnnotationDefaults.BUILT_IN);
    assertEquals(new HttpsPolicy(false, true), off.policy.https(HostnamePattern.of("a.test")));
    assertEquals(List.of(), off.reports);
  }

  @Test
  void withoutTlsHostsOrForceNothingChanges() {
    FamilyRun run = FamilyRun.of(FAMILY, Map.of("portico.io/ssl-redirect", "true"));
    assertEquals(IngressPolicy.DEFAULT, run.policy);
  }

  @Test
  void theControllerDefaultForcesWhatTheIngressDoesNotSay() {
    AnnotationDefaults forced =
        new AnnotationDefaults() {
          @Override
          public boolean forceSslRedirect() {
            return true;
          }
        };
    FamilyRun run = FamilyRun.of(FAMILY, Map.of(), Set.of(), forced);
    assertEquals(new HttpsPolicy(true, false), run.policy.https(HostnamePattern.of("b.test")));
    FamilyRun optedOut =
        FamilyRun.of(FAMILY, Map.of("portico.io/force-ssl-redirect", "false"), Set.of(), forced);
    assertEquals(HttpsPolicy.NONE, optedOut.policy.https(HostnamePattern.of("b.test")));
  }
}
