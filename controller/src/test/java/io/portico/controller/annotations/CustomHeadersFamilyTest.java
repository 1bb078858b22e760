package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.policy.PolicyAnswer.Header;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.ResponseHeadersPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code add-headers} and {@code custom-headers} read into route policies, and what is reported,
 * with ingress-nginx's e2e cases (annotations/customheaders.go, settings/custom_header.go).
 */
class CustomHeadersFamilyTest {

  private static final CustomHeadersFamily FAMILY = new CustomHeadersFamily();

  /** ConfigMaps by namespace/name; what the family asked for is kept in {@code asked}. */
  private static final class ConfigMaps implements ConfigMapLookup {
    final Map<String, Map<String, String>> data;
    final List<String> asked = new ArrayList<>();

    ConfigMaps(Map<String, Map<String, String>> data) {
      this.data = data;
    }

    @Override
    public Optional<Map<String, String>> data(String namespace, String name) {
      asked.add(namespace + "/" + name);
      return Optional.ofNullable(data.get(namespace + "/" + name));
    }
  }

  private static ControllerConfig config(Map<String, String> data) {
    return ControllerConfig.read(
        data,
        finding -> {
          throw new AssertionError(finding.message());
        });
  }

  private static final ConfigMaps CONFIG_MAPS =
      new ConfigMaps(
          Map.of(
              "ingress-nginx/add-headers",
              Map.of(
                  "X-Frame-Options", "SAMEORIGIN",
                  "X-Content-Type-Options", "nosniff",
                  "X-A-Custom-Header", "customHeaderValue"),
              "default/custom-headers",
              Map.of("My-Custom-Header", "42", "My-Custom-Header-Dollar", "$remote_addr"),
              "default/overrides",
              Map.of("x-frame-options", "DENY"),
              "default/not-allowed",
              Map.of("My-Custom-Header", "42", "Set-Cookie", "session=attacker"),
              "default/bad-value",
              Map.of("My-Custom-Header", "a\u0001b"),
              "other/custom-headers",
              Map.of("My-Custom-Header", "42")));

  private static final ControllerConfig PLATFORM =
      config(
          Map.of(
              "add-headers", "ingress-nginx/add-headers",
              "global-allowed-response-headers",
                  "My-Custom-Header,My-Custom-Header-Dollar,X-Frame-Options"));

  private static FamilyRun run(Map<String, String> annotations, ControllerConfig config) {
    return FamilyRun.of(
        FAMILY, annotations, new IngressContext("default", "test", Set.of(), config, CONFIG_MAPS));
  }

  private static List<RequestPolicy> policies(FamilyRun run) {
    List<RequestPolicy> all = new ArrayList<>();
    for (RoutePolicyRule rule : run.policy.routeRules()) {
      all.addAll(rule.policies(HostnamePattern.of("a.test"), PathMatch.prefix("/")));
    }
    return all;
  }

  private static ResponseHeadersPolicy headers(String... namesAndValues) {
    List<Header> headers = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(new Header(namesAndValues[i], namesAndValues[i + 1]));
    }
    return new ResponseHeadersPolicy(headers);
  }

  @Test
  void withoutEitherARouteHasNoPolicyAndPaysNothing() {
    FamilyRun run = run(Map.of(), ControllerConfig.DEFAULTS);
    assertEquals(IngressPolicy.DEFAULT, run.policy);
    assertEquals(List.of(), run.reports);
  }

  @Test
  void addHeadersAreSetOnEveryRouteInTheOrderOfTheirNames() {
    FamilyRun run = run(Map.of(), PLATFORM);
    assertEquals(
        List.of(
            headers(
                "X-A-Custom-Header", "customHeaderValue",
                "X-Content-Type-Options", "nosniff",
                "X-Frame-Options", "SAMEORIGIN")),
        policies(run));
    assertEquals(List.of(), run.reports);
  }

  @Test
  void customHeadersFollowAddHeadersAndWinForTheSameName() {
    FamilyRun run =
        run(Map.of("nginx.ingress.kubernetes.io/custom-headers", "default/overrides"), PLATFORM);
    assertEquals(
        List.of(
            headers(
                "X-A-Custom-Header", "customHeaderValue",
                "X-Content-Type-Options", "nosniff",
                "x-frame-options", "DENY")),
        policies(run));

    FamilyRun own = run(Map.of("portico.io/custom-headers", "custom-headers"), PLATFORM);
    assertEquals(
        headers(
            "X-A-Custom-Header", "customHeaderValue",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "SAMEORIGIN",
            "My-Custom-Header", "42",
            "My-Custom-Header-Dollar", "$remote_addr"),
        policies(own).get(0));
    assertEquals(List.of(), own.reports);
  }

  @Test
  void whatCustomHeadersCannotServeAsAskedMakesEveryRouteAnswer503() {
    String nginx = "nginx.ingress.kubernetes.io/custom-headers";
    String instead = "; every route of the Ingress answers 503";
    Map<String, String> cases =
        Map.of(
            "default/missing",
            "invalid "
                + nginx
                + ": \"default/missing\" (expected: a ConfigMap that exists: default/missing does"
                + " not)"
                + instead,
            "other/custom-headers",
            "invalid "
                + nginx
                + ": \"other/custom-headers\" (expected: a ConfigMap in the Ingress's namespace"
                + " default)"
                + instead,
            "default/not-allowed",
            "invalid "
                + nginx
                + ": \"default/not-allowed\" (expected: a ConfigMap of allowed headers; ConfigMap"
                + " default/not-allowed: header Set-Cookie is not allowed (expected: a name listed"
                + " in the controller ConfigMap's global-allowed-response-headers))"
                + instead,
            "default/bad-value",
            "invalid "
                + nginx
                + ": \"default/bad-value\" (expected: a ConfigMap of allowed headers; ConfigMap"
                + " default/bad-value: header My-Custom-Header: \"a\\x01b\" (expected: letters,"
                + " digits, spaces and the punctuation ingress-nginx allows))"
                + instead,
            "Default/Bad Name",
            "invalid "
                + nginx
                + ": \"Default/Bad Name\" (expected: name or namespace/name of a ConfigMap)"
                + instead);
    cases.forEach(
        (reference, report) -> {
          FamilyRun run = run(Map.of(nginx, reference), PLATFORM);
          // The platform's headers still apply, to the 503 too.
          assertEquals(
              List.of(
                  CustomHeadersFamily.closed(reference),
                  headers(
                      "X-A-Custom-Header", "customHeaderValue",
                      "X-Content-Type-Options", "nosniff",
                      "X-Frame-Options", "SAMEORIGIN")),
              policies(run),
              reference);
          assertEquals(List.of(report), run.reports, reference);
        });
  }

  @Test
  void withoutAnAllowListNoCustomHeaderIsAllowed() {
    FamilyRun run =
        run(
            Map.of("nginx.ingress.kubernetes.io/custom-headers", "default/custom-headers"),
            ControllerConfig.DEFAULTS);
    assertEquals(List.of(CustomHeadersFamily.closed("default/custom-headers")), policies(run));
    assertEquals(1, run.reports.size());
  }

  @Test
  void aMissingAddHeadersConfigMapAddsNothingAndBadEntriesAreLeftOut() {
    FamilyRun missing =
        run(Map.of(), config(Map.of("add-headers", "ingress-nginx/does-not-exist")));
    assertEquals(List.of(), policies(missing));
    assertEquals(List.of(), missing.reports, "reported once, on the controller ConfigMap");

    ResponseHeaderData.Read read =
        ResponseHeaderData.addHeaders(
            Map.of("X-Ok", "1", "Bad Name", "1", "X-Split", "a\r\nSet-Cookie: x", "X-Empty", ""));
    assertEquals(List.of(new Header("X-Ok", "1")), read.headers());
    assertEquals(
        List.of(
            "header name \"Bad Name\" (expected: a token)",
            "header X-Empty: \"\" (expected: visible characters on one line, not empty)",
            "header X-Split: \"a\\x0d\\x0aSet-Cookie: x\" (expected: visible characters on one"
                + " line, not empty)"),
        read.problems());
  }
}
