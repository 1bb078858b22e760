package io.portico.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControllerConfigTest {

  private final List<ConfigFinding> findings = new ArrayList<>();

  private ControllerConfig read(Map<String, String> data) {
    return ControllerConfig.read(data, findings::add);
  }

  @Test
  void withoutAConfigMapEveryKeyHasItsBuiltInDefault() {
    ControllerConfig config = read(Map.of());
    assertEquals(ControllerConfig.DEFAULTS, config);
    assertTrue(config.get(ConfigKeys.SSL_REDIRECT));
    assertFalse(config.get(ConfigKeys.FORCE_SSL_REDIRECT));
    assertEquals(308, config.get(ConfigKeys.HTTP_REDIRECT_CODE));
    assertEquals(31_536_000, config.get(ConfigKeys.HSTS_MAX_AGE));
    assertEquals(
        List.of("/.well-known/acme-challenge"), config.get(ConfigKeys.NO_TLS_REDIRECT_LOCATIONS));
    assertEquals(List.of(), config.get(ConfigKeys.CUSTOM_HTTP_ERRORS));
    assertEquals(Duration.ofSeconds(5), config.get(ConfigKeys.PROXY_CONNECT_TIMEOUT));
    assertEquals(1L << 20, config.get(ConfigKeys.PROXY_BODY_SIZE));
    assertEquals(ConfigKeys.RiskLevel.HIGH, config.get(ConfigKeys.ANNOTATIONS_RISK_LEVEL));
    assertEquals("X-Forwarded-For", config.get(ConfigKeys.FORWARDED_FOR_HEADER));
    assertEquals(List.of(), findings);
  }

  @Test
  void valuesTheConfigMapSetsReplaceTheDefaults() {
    ControllerConfig config =
        read(
            Map.of(
                "ssl-redirect", "false",
                "hsts-max-age", " 600 ",
                "http-redirect-code", "301",
                "custom-http-errors", "404, 503,",
                "no-tls-redirect-locations", "/.well-known/acme-challenge,/healthz",
                "proxy-body-size", "8K",
                "annotations-risk-level", "critical"));
    assertFalse(config.get(ConfigKeys.SSL_REDIRECT));
    assertEquals(600, config.get(ConfigKeys.HSTS_MAX_AGE));
    assertEquals(301, config.get(ConfigKeys.HTTP_REDIRECT_CODE));
    assertEquals(List.of(404, 503), config.get(ConfigKeys.CUSTOM_HTTP_ERRORS));
    assertEquals(
        List.of("/.well-known/acme-challenge", "/healthz"),
        config.get(ConfigKeys.NO_TLS_REDIRECT_LOCATIONS));
    assertEquals(8L << 10, config.get(ConfigKeys.PROXY_BODY_SIZE));
    assertEquals(ConfigKeys.RiskLevel.CRITICAL, config.get(ConfigKeys.ANNOTATIONS_RISK_LEVEL));
    assertTrue(config.isSet(ConfigKeys.SSL_REDIRECT));
    assertFalse(config.isSet(ConfigKeys.HSTS));
    assertEquals(List.of(), findings);
  }

  @ParameterizedTest(name = "\"{0}\" reads as {1}")
  @CsvSource({
    "1, true", "t, true", "T, true", "TRUE, true", "true, true", "True, true",
    "0, false", "f, false", "F, false", "FALSE, false", "false, false", "False, false"
  })
  void booleansReadAsIngressNginxReadsThem(String text, boolean expected) {
    assertEquals(Optional.of(expected), ConfigKeys.HSTS.parse(text));
  }

  @ParameterizedTest(name = "{0}: \"{1}\" does not read")
  @CsvSource({
    "hsts, yes",
    "hsts, tRUE",
    "hsts-max-age, -1",
    "hsts-max-age, 1y",
    "hsts-max-age, 1234567890",
    "http-redirect-code, 303",
    "custom-http-errors, '404,200'",
    "custom-http-errors, 'abc'",
    "no-tls-redirect-locations, 'healthz'",
    "forwarded-for-header, 'X Forwarded'",
    "proxy-body-size, 1t",
    "proxy-next-upstream, 'error sometimes'",
  })
  void aValueThatDoesNotReadIsAWarningNamingTheKeyAndTheDefaultApplies(String key, String text) {
    ControllerConfig config = read(Map.of(key, text));
    ConfigKey<?> declared = ConfigKeys.byName(key).orElseThrow();
    assertEquals(declared.defaultValue(), config.get(declared));
    assertFalse(config.isSet(declared));
    assertEquals(1, findings.size(), findings.toString());
    ConfigFinding finding = findings.get(0);
    assertEquals(ConfigFinding.Kind.INVALID_VALUE, finding.kind());
    assertEquals(key, finding.key());
    assertEquals(
        key
            + ": \""
            + text
            + "\" (expected: "
            + declared.expected()
            + "); the default \""
            + declared.defaultText()
            + "\" applies",
        finding.message());
  }

  @Test
  void aKeyPorticoDoesNotReadIsANoticeAndChangesNothing() {
    ControllerConfig config = read(Map.of("worker-processes", "4"));
    assertEquals(ControllerConfig.DEFAULTS, config);
    assertEquals(
        List.of(
            new ConfigFinding(
                ConfigFinding.Kind.UNKNOWN_KEY,
                "worker-processes",
                "worker-processes: not a key Portico reads; ignored (see docs/configmap.md)")),
        findings);
  }

  @Test
  void configsThatGiveEveryKeyTheSameValueAreEqual() {
    assertEquals(read(Map.of("hsts", "true")), read(Map.of("hsts", "True")));
    assertEquals(
        read(Map.of("hsts-max-age", "60")).hashCode(),
        read(Map.of("hsts-max-age", " 60")).hashCode());
    assertNotEquals(read(Map.of("hsts", "true")), read(Map.of("hsts", "false")));
  }

  @Test
  void keysThatApplyAtStartKeepTheirStartValueAndAChangeIsReported() {
    ControllerConfig atStart = read(Map.of("use-forwarded-headers", "false"));
    ControllerConfig now = read(Map.of("use-forwarded-headers", "true", "hsts-max-age", "60"));
    ControllerConfig inForce = now.keepingStartValues(atStart, findings::add);

    assertFalse(inForce.get(ConfigKeys.USE_FORWARDED_HEADERS));
    assertEquals(60, inForce.get(ConfigKeys.HSTS_MAX_AGE), "a live key changes at once");
    assertEquals(
        List.of(
            new ConfigFinding(
                ConfigFinding.Kind.RESTART_NEEDED,
                "use-forwarded-headers",
                "use-forwarded-headers: changed to \"true\"; \"false\", read at start, stays in"
                    + " force until Portico restarts")),
        findings);
    assertSame(now, now.keepingStartValues(now, findings::add));
  }

  @Test
  void keysAreDeclaredOnceSortedByNameAndTheirDefaultsRead() {
    List<ConfigKey<?>> all = ConfigKeys.all();
    assertEquals(all.stream().sorted(Comparator.naturalOrder()).toList(), all);
    for (ConfigKey<?> key : all) {
      assertEquals(Optional.of(key), ConfigKeys.byName(key.name()).map(k -> (ConfigKey<?>) k));
      assertEquals(
          Optional.of(key.defaultValue()), key.parse(key.defaultText()).map(v -> (Object) v));
    }
  }

  /** ingress-nginx reads a risk level it does not know (a typo, an empty value) as Low. */
  @ParameterizedTest(name = "annotations-risk-level: \"{0}\" is Low")
  @CsvSource({"Meduim", "''", "none", "highest"})
  void aRiskLevelThatDoesNotReadIsTheStrictest(String text) {
    ControllerConfig config = read(Map.of("annotations-risk-level", text));
    assertEquals(ConfigKeys.RiskLevel.LOW, config.get(ConfigKeys.ANNOTATIONS_RISK_LEVEL));
    assertEquals(1, findings.size());
    assertEquals(ConfigFinding.Kind.INVALID_VALUE, findings.get(0).kind());
    assertEquals(
        "annotations-risk-level: \""
            + text
            + "\" (expected: one of Low, Medium, High, Critical); \"Low\" applies, as"
            + " ingress-nginx reads a value it does not know (not the default \"High\")",
        findings.get(0).message());
  }
}
