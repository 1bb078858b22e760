package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.PathMatch;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpsFamilyTest {

  private static final HttpsFamily FAMILY = new HttpsFamily();
  private static final PathMatch ROOT = PathMatch.prefix("/");

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
        FamilyRun.of(FAMILY, annotations, Set.of("a.test", "*.w.test"), ControllerConfig.DEFAULTS);
    assertEquals(new HttpsPolicy(redirect, hsts), run.policy.https(HostnamePattern.of(host), ROOT));
    assertEquals(List.of(), run.reports);
  }

  @Test
  void aBadValueIsReportedAndTheDefaultApplies() {
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of("portico.io/ssl-redirect", "yes"),
            Set.of("a.test"),
            ControllerConfig.DEFAULTS);
    assertEquals(
        HttpsPolicy.REDIRECT_AND_HSTS, run.policy.https(HostnamePattern.of("a.test"), ROOT));
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
            ControllerConfig.DEFAULTS);
    assertEquals(
        new HttpsPolicy(true, true, true), run.policy.https(HostnamePattern.of("a.test"), ROOT));
    assertEquals(HttpsPolicy.NONE, run.policy.https(HostnamePattern.of("b.test"), ROOT));
    assertEquals(List.of(), run.reports);
  }

  @Test
  void goBooleansReadAsIngressNginxReadsThem() {
    FamilyRun run = FamilyRun.of(FAMILY, Map.of("portico.io/force-ssl-redirect", "1"));
    assertEquals(
        new HttpsPolicy(true, false), run.policy.https(HostnamePattern.of("b.test"), ROOT));
    FamilyRun off =
        FamilyRun.of(
            FAMILY,
            Map.of("nginx.ingress.kubernetes.io/ssl-redirect", "F"),
            Set.of("a.test"),
            ControllerConfig.DEFAULTS);
    assertEquals(
        new HttpsPolicy(false, true), off.policy.https(HostnamePattern.of("a.test"), ROOT));
    assertEquals(List.of(), off.reports);
  }

  @Test
  void withoutTlsHostsOrForceNothingChanges() {
    FamilyRun run = FamilyRun.of(FAMILY, Map.of("portico.io/ssl-redirect", "true"));
    assertEquals(IngressPolicy.DEFAULT, run.policy);
  }

  @Test
  void theControllerDefaultForcesWhatTheIngressDoesNotSay() {
    ControllerConfig forced = config(Map.of("force-ssl-redirect", "true"));
    FamilyRun run = FamilyRun.of(FAMILY, Map.of(), Set.of(), forced);
    assertEquals(
        new HttpsPolicy(true, false), run.policy.https(HostnamePattern.of("b.test"), ROOT));
    FamilyRun optedOut =
        FamilyRun.of(FAMILY, Map.of("portico.io/force-ssl-redirect", "false"), Set.of(), forced);
    assertEquals(HttpsPolicy.NONE, optedOut.policy.https(HostnamePattern.of("b.test"), ROOT));
  }

  @Test
  void theConfigMapGivesTheRedirectStatusAndTheHstsValue() {
    ControllerConfig config =
        config(
            Map.of(
                "http-redirect-code", "301",
                "hsts-max-age", "600",
                "hsts-include-subdomains", "false",
                "hsts-preload", "true"));
    FamilyRun run = FamilyRun.of(FAMILY, Map.of(), Set.of("a.test"), config);
    assertEquals(
        new HttpsPolicy(true, true, 301, "max-age=600; preload"),
        run.policy.https(HostnamePattern.of("a.test"), ROOT));
  }

  @Test
  void theConfigMapCanSwitchHstsOffAndRedirectsStay() {
    FamilyRun run =
        FamilyRun.of(FAMILY, Map.of(), Set.of("a.test"), config(Map.of("hsts", "false")));
    assertEquals(
        new HttpsPolicy(true, false), run.policy.https(HostnamePattern.of("a.test"), ROOT));
  }

  @Test
  void theAnnotationWinsOverTheConfigMapWhichWinsOverTheBuiltInDefault() {
    ControllerConfig noRedirect = config(Map.of("ssl-redirect", "false"));
    FamilyRun fromConfig = FamilyRun.of(FAMILY, Map.of(), Set.of("a.test"), noRedirect);
    assertEquals(
        new HttpsPolicy(false, true), fromConfig.policy.https(HostnamePattern.of("a.test"), ROOT));
    FamilyRun annotated =
        FamilyRun.of(
            FAMILY,
            Map.of("nginx.ingress.kubernetes.io/ssl-redirect", "true"),
            Set.of("a.test"),
            noRedirect);
    assertEquals(
        HttpsPolicy.REDIRECT_AND_HSTS, annotated.policy.https(HostnamePattern.of("a.test"), ROOT));
  }

  @Test
  void aBadValueFallsBackToTheConfigMapsValue() {
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of("portico.io/ssl-redirect", "yes"),
            Set.of("a.test"),
            config(Map.of("ssl-redirect", "false")));
    assertEquals(
        new HttpsPolicy(false, true), run.policy.https(HostnamePattern.of("a.test"), ROOT));
    assertEquals(
        List.of(
            "invalid portico.io/ssl-redirect: \"yes\" (expected: \"true\" or \"false\"); false"
                + " applies"),
        run.reports);
  }

  @Test
  void noTlsRedirectLocationsAreComparedAsTextPrefixesOfTheRulePath() {
    FamilyRun byDefault =
        FamilyRun.of(FAMILY, Map.of(), Set.of("a.test"), ControllerConfig.DEFAULTS);
    HostnamePattern host = HostnamePattern.of("a.test");
    assertEquals(
        new HttpsPolicy(false, true),
        byDefault.policy.https(host, PathMatch.exact("/.well-known/acme-challenge/token")));
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of("portico.io/force-ssl-redirect", "true"),
            Set.of(),
            config(Map.of("no-tls-redirect-locations", "/public,/health")));
    HostnamePattern plain = HostnamePattern.of("b.test");
    assertEquals(HttpsPolicy.NONE, run.policy.https(plain, PathMatch.prefix("/publications")));
    assertEquals(HttpsPolicy.NONE, run.policy.https(plain, PathMatch.exact("/health")));
    assertEquals(new HttpsPolicy(true, false), run.policy.https(plain, PathMatch.prefix("/app")));
    // The list replaces the default: ACME challenges redirect now.
    assertEquals(
        new HttpsPolicy(true, false),
        run.policy.https(plain, PathMatch.prefix("/.well-known/acme-challenge")));
  }

  private static ControllerConfig config(Map<String, String> data) {
    return ControllerConfig.read(
        data,
        finding -> {
          throw new AssertionError(finding.toString());
        });
  }
}
