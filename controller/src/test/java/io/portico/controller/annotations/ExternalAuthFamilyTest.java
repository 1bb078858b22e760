package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.access.ExternalAuthPolicy;
import io.portico.router.access.ExternalAuthSettings;
import io.portico.router.policy.ClosedPolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code auth-*} annotations and the ConfigMap's {@code global-auth-*} keys read into external
 * auth policies, and every way they fail closed: hostile values (CVE-2025-24514 came from
 * interpolating them), shaping annotations without {@code auth-url}, a missing or bad {@code
 * auth-proxy-set-headers} ConfigMap, an invalid global configuration.
 */
class ExternalAuthFamilyTest {

  private static final ExternalAuthFamily FAMILY = new ExternalAuthFamily();
  private static final String PREFIX = "nginx.ingress.kubernetes.io/";

  private final Map<String, Map<String, String>> configMaps = new HashMap<>();

  private FamilyRun run(ControllerConfig config, String... keysAndValues) {
    Map<String, String> annotations = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      annotations.put(PREFIX + keysAndValues[i], keysAndValues[i + 1]);
    }
    ConfigMapLookup lookup =
        (namespace, name) -> Optional.ofNullable(configMaps.get(namespace + "/" + name));
    return FamilyRun.of(
        FAMILY,
        annotations,
        new IngressContext("default", "test", Set.of(), config, lookup, SecretLookup.NONE));
  }

  private FamilyRun run(String... keysAndValues) {
    return run(ControllerConfig.DEFAULTS, keysAndValues);
  }

  private static ControllerConfig config(String... keysAndValues) {
    Map<String, String> data = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      data.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return ControllerConfig.read(data, finding -> {});
  }

  private static List<RequestPolicy> policies(FamilyRun run, String path) {
    List<RequestPolicy> policies = new ArrayList<>();
    for (RoutePolicyRule rule : run.policy.routeRules()) {
      policies.addAll(rule.policies(HostnamePattern.of("app.test"), PathMatch.prefix(path)));
    }
    return policies;
  }

  private static ExternalAuthSettings settings(FamilyRun run) {
    List<RequestPolicy> policies = policies(run, "/");
    assertEquals(1, policies.size(), policies.toString());
    return assertInstanceOf(ExternalAuthPolicy.class, policies.get(0)).settings();
  }

  @Test
  void anOauth2ProxyStyleIngressReads() {
    FamilyRun run =
        run(
            "auth-url", "https://$host/oauth2/auth",
            "auth-signin", "https://$host/oauth2/start?rd=$escaped_request_uri",
            "auth-response-headers", "X-Auth-Request-User, X-Auth-Request-Email",
            "auth-cache-key", "$remote_user$http_authorization",
            "auth-cache-duration", "200 202 10m, 401 1m",
            "auth-method", "POST",
            "auth-signin-redirect-param", "orig",
            "auth-always-set-cookie", "true");
    assertEquals(List.of(), run.reports);
    ExternalAuthSettings settings = settings(run);
    assertEquals("https://$host/oauth2/auth", settings.url().text());
    assertEquals(
        List.of("X-Auth-Request-User", "X-Auth-Request-Email"), settings.responseHeaders());
    assertEquals(Duration.ofMinutes(1), settings.cacheDurations().of(401));
    assertEquals(Optional.of("POST"), settings.method());
    assertEquals("orig", settings.redirectParam());
    assertTrue(settings.alwaysSetCookie());
    assertEquals(Duration.ofSeconds(5), settings.connectTimeout(), "proxy-connect-timeout");
    assertEquals(Duration.ofSeconds(60), settings.readTimeout(), "proxy-read-timeout");
  }

  @Test
  void everyRouteHasAPolicyOfItsOwnButTheAcmePath() {
    FamilyRun run = run("auth-url", "http://auth.test/check");
    assertEquals(1, policies(run, "/a").size());
    assertTrue(!policies(run, "/a").get(0).equals(policies(run, "/b").get(0)));
    assertEquals(policies(run, "/a"), policies(run, "/a"), "equal for an unchanged Ingress");
    assertEquals(List.of(), policies(run, "/.well-known/acme-challenge"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "auth-url | http://auth.test/check;return 200;",
        "auth-url | 'http://auth.test/\"quoted\"'",
        "auth-url | http://auth.test/{x}",
        "auth-url | http://auth.test/$document_root",
        "auth-url | http://$http_x_target/check",
        "auth-url | /relative",
        "auth-url | ftp://auth.test/",
        "auth-signin | http://a.test/start;",
        "auth-signin | start",
        "auth-method | get",
        "auth-method | 'GET; return'",
        "auth-signin-redirect-param | 'r&d'",
        "auth-response-headers | 'X-User, X User'",
        "auth-request-redirect | 'https://$host/\\'",
        "auth-cache-key | '$http_authorization;'",
        "auth-cache-duration | forever",
        "auth-always-set-cookie | maybe",
        "auth-proxy-set-headers | ../etc"
      })
  void aValueThatDoesNotReadRefusesTheIngress(String name, String value) {
    FamilyRun run =
        name.equals("auth-url")
            ? run(name, value)
            : run("auth-url", "http://auth.test/check", name, value);
    assertEquals(1, run.reports.size(), run.reports.toString());
    assertTrue(run.reports.get(0).startsWith("refuse " + name + ": "), run.reports.toString());
    assertTrue(run.reports.get(0).contains("expected"), run.reports.toString());
    assertEquals(List.of(), policies(run, "/"), "nothing served");
  }

  @Test
  void aValueWithANewlineRefusesTheIngress() {
    FamilyRun run = run("auth-url", "http://auth.test/\nlocation / {");
    assertTrue(run.reports.get(0).startsWith("refuse auth-url: "), run.reports.toString());
  }

  @Test
  void anAuthAnnotationWithoutAuthUrlRefusesTheIngress() {
    FamilyRun run = run("auth-signin", "https://$host/oauth2/start");
    assertEquals(
        List.of(
            "refuse auth-signin: auth-signin is set without auth-url (ingress-nginx would ignore"
                + " it; set auth-url, or remove auth-signin)"),
        run.reports);
  }

  @Test
  void keepaliveAnnotationsAreCheckedWithoutEffect() {
    FamilyRun run =
        run("auth-url", "http://auth.test/", "auth-keepalive", "10", "auth-keepalive-timeout", "x");
    assertEquals(2, run.reports.size(), run.reports.toString());
    assertTrue(
        run.reports.contains(
            "unused auth-keepalive: Portico keeps connections to the auth service alive in the"
                + " listener's pool whatever it says"));
    assertEquals(1, policies(run, "/").size());
  }

  @Test
  void proxySetHeadersComeFromAConfigMapOfTheNamespace() {
    configMaps.put("default/auth-headers", Map.of("X-Tenant", "blue", "X-Client", "$remote_addr"));
    ExternalAuthSettings settings =
        settings(run("auth-url", "http://auth.test/", "auth-proxy-set-headers", "auth-headers"));
    assertEquals(2, settings.proxySetHeaders().size());

    FamilyRun missing = run("auth-url", "http://auth.test/", "auth-proxy-set-headers", "nothing");
    assertInstanceOf(ClosedPolicy.class, policies(missing, "/").get(0), "503, never open");
    assertTrue(missing.reports.get(0).contains("ConfigMap default/nothing not found"));

    configMaps.put("default/bad", Map.of("X-Bad", "value; more_set_headers"));
    FamilyRun bad = run("auth-url", "http://auth.test/", "auth-proxy-set-headers", "bad");
    assertInstanceOf(ClosedPolicy.class, policies(bad, "/").get(0));

    FamilyRun other =
        run("auth-url", "http://auth.test/", "auth-proxy-set-headers", "other/auth-headers");
    assertTrue(
        other.reports.get(0).startsWith("refuse auth-proxy-set-headers"), other.reports.toString());
  }

  @Test
  void theConfigMapsGlobalAuthAppliesWithoutAuthUrlUnlessTurnedOff() {
    ControllerConfig global =
        config(
            "global-auth-url", "https://$host/oauth2/auth",
            "global-auth-signin", "https://$host/oauth2/start",
            "global-auth-response-headers", "X-User");
    ExternalAuthSettings settings = settings(run(global));
    assertEquals("https://$host/oauth2/auth", settings.url().text());
    assertEquals(List.of("X-User"), settings.responseHeaders());
    assertEquals(List.of(), policies(run(global, "enable-global-auth", "false"), "/"));
    assertEquals(
        "http://own.test/",
        settings(run(global, "auth-url", "http://own.test/")).url().text(),
        "the Ingress's own wins");
    assertEquals(List.of(), policies(run(), "/"), "no global auth by default");
  }

  @Test
  void anInvalidGlobalAuthClosesTheRoutesItWouldGuard() {
    FamilyRun run = run(config("global-auth-url", "http://auth.test/;return 200;"));
    assertInstanceOf(ClosedPolicy.class, policies(run, "/").get(0));
    assertTrue(run.reports.get(0).contains("global-auth-url"), run.reports.toString());
    assertEquals(List.of(), policies(run, "/.well-known/acme-challenge/x"));
  }
}
