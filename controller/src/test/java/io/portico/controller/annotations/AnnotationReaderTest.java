package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.annotations.AnnotationVerdict.State;
import io.portico.controller.config.ControllerConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnnotationReaderTest {

  private static final IngressContext CONTEXT =
      new IngressContext("default", "app", Set.of(), ControllerConfig.DEFAULTS);

  private static AnnotationReading read(
      SnippetAnnotations snippets, Map<String, String> annotations) {
    return AnnotationReader.standard(snippets).read(annotations, CONTEXT);
  }

  private static String fate(AnnotationReading reading, String key) {
    return reading.verdict().entries().stream()
        .filter(e -> e.key().equals(key))
        .map(e -> e.state().label())
        .findFirst()
        .orElse("absent");
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}, refused={3}")
  @CsvSource({
    "nginx.ingress.kubernetes.io/affinity, cookie, honoured, false",
    "portico.io/load-balance, random, honoured, false",
    "nginx.ingress.kubernetes.io/session-cookie-name, route, ignored, false",
    "nginx.ingress.kubernetes.io/proxy-buffering, on, ignored, false",
    "nginx.ingress.kubernetes.io/proxy-read-timeout, 120, honoured, false",
    "nginx.ingress.kubernetes.io/limit-rps, 10, honoured, false",
    "nginx.ingress.kubernetes.io/auth-url, http://auth/, honoured, false",
    "portico.io/auth-url, https://$host/oauth2/auth, honoured, false",
    "nginx.ingress.kubernetes.io/auth-url, 'http://auth/;return 200;', refused, true",
    "nginx.ingress.kubernetes.io/auth-signin, http://auth/start, refused, true",
    "nginx.ingress.kubernetes.io/whitelist-source-range, 10.0.0.0/8, honoured, false",
    "nginx.ingress.kubernetes.io/allowlist-source-range, '10.0.0.0/8, nonsense', refused, true",
    "nginx.ingress.kubernetes.io/denylist-source-range, 10.0.0.0/33, refused, true",
    "nginx.ingress.kubernetes.io/auth-type, digest, refused, true",
    "nginx.ingress.kubernetes.io/auth-type, basic, refused, true",
    "nginx.ingress.kubernetes.io/enable-modsecurity, false, ignored, false",
    "nginx.ingress.kubernetes.io/enable-modsecurity, true, refused, true",
    "nginx.ingress.kubernetes.io/enable-modsecurity, off, refused, true",
    "nginx.ingress.kubernetes.io/limit-connections, 10, honoured, false",
    "nginx.ingress.kubernetes.io/limit-rate, 0, honoured, false",
    "nginx.ingress.kubernetes.io/limit-rate, 10, honoured, false",
    "nginx.ingress.kubernetes.io/limit-rate, fast, honoured, false",
    "nginx.ingress.kubernetes.io/limit-rate-after, 100, honoured, false",
    "nginx.ingress.kubernetes.io/canary, False, honoured, false",
    "nginx.ingress.kubernetes.io/canary, true, honoured, false",
    "nginx.ingress.kubernetes.io/canary, maybe, refused, true",
    "nginx.ingress.kubernetes.io/canary-weight, 10, refused, true",
    "nginx.ingress.kubernetes.io/affinity-canary-behavior, legacy, ignored, false",
    "portico.io/mirror-target, http://copies/, honoured, false",
    "nginx.ingress.kubernetes.io/mirror-host, copies.test, ignored, false",
    "nginx.ingress.kubernetes.io/enable-global-auth, true, honoured, false",
    "nginx.ingress.kubernetes.io/enable-global-auth, maybe, honoured, false",
    "nginx.ingress.kubernetes.io/satisfy, any, honoured, false",
    "nginx.ingress.kubernetes.io/server-snippet, 'return 200;', refused, true",
    "portico.io/rewite-target, /, unknown, false",
  })
  void eachAnnotationGetsItsFate(String key, String value, String state, boolean refused) {
    AnnotationReading reading = read(SnippetAnnotations.REFUSE, Map.of(key, value));
    assertEquals(state, fate(reading, key));
    assertEquals(refused, reading.refused());
  }

  @Test
  void oneRefusalFindingNamesEveryRefusingAnnotationGroupedByReason() {
    AnnotationReading reading =
        read(
            SnippetAnnotations.REFUSE,
            Map.of(
                "nginx.ingress.kubernetes.io/auth-type", "digest",
                "nginx.ingress.kubernetes.io/auth-secret", "users",
                "nginx.ingress.kubernetes.io/enable-modsecurity", "true"));
    List<AnnotationFinding> refusals =
        reading.findings().stream()
            .filter(f -> f.reason().equals(AnnotationReader.REFUSED))
            .toList();
    assertEquals(1, refusals.size());
    String message = refusals.get(0).message();
    assertTrue(
        message.startsWith(
            "not served: nginx.ingress.kubernetes.io/auth-secret,"
                + " nginx.ingress.kubernetes.io/auth-type (digest authentication"),
        message);
    assertTrue(
        message.contains("; nginx.ingress.kubernetes.io/enable-modsecurity (Portico has no web"),
        message);
  }

  @Test
  void snippetsAreIgnoredWithAWarningWhenToldTo() {
    AnnotationReading reading =
        read(
            SnippetAnnotations.IGNORE,
            Map.of("nginx.ingress.kubernetes.io/configuration-snippet", "deny all;"));
    assertFalse(reading.refused());
    assertEquals("ignored", fate(reading, "nginx.ingress.kubernetes.io/configuration-snippet"));
    assertEquals(
        List.of(AnnotationReader.SNIPPET_IGNORED),
        reading.findings().stream().map(AnnotationFinding::reason).toList());
    assertTrue(reading.findings().get(0).warning());
  }

  @Test
  void theNginxTwinOfAPorticoAnnotationIsIgnored() {
    AnnotationReading reading =
        read(
            SnippetAnnotations.REFUSE,
            Map.of(
                "portico.io/load-balance", "random",
                "nginx.ingress.kubernetes.io/load-balance", "round_robin"));
    assertEquals("honoured", fate(reading, "portico.io/load-balance"));
    assertEquals("ignored", fate(reading, "nginx.ingress.kubernetes.io/load-balance"));
  }

  @Test
  void aFamilyThatCannotReadWhatGuardsAccessRefusesTheIngress() {
    AnnotationFamily guard =
        new AnnotationFamily() {
          @Override
          public String name() {
            return "guard";
          }

          @Override
          public Set<String> annotations() {
            return Set.of("affinity");
          }

          @Override
          public void read(
              AnnotationValues values,
              IngressContext context,
              IngressPolicy.Builder policy,
              AnnotationReport report) {
            values.get("affinity").ifPresent(v -> report.refuse("affinity", "Secret x: not found"));
          }
        };
    AnnotationReading reading =
        new AnnotationReader(List.of(guard), SnippetAnnotations.REFUSE)
            .read(Map.of("portico.io/affinity", "cookie"), CONTEXT);
    assertTrue(reading.refused());
    assertEquals(
        new AnnotationVerdict.Entry(
            "portico.io/affinity", "affinity", State.REFUSED, "Secret x: not found"),
        reading.verdict().entries().get(0));
    assertEquals(
        "not served: portico.io/affinity (Secret x: not found)",
        reading.findings().get(0).message());
  }

  @Test
  void otherPrefixesAreNotJudged() {
    AnnotationReading reading =
        read(
            SnippetAnnotations.REFUSE,
            Map.of("kubernetes.io/ingress.class", "nginx", "example.com/auth-url", "x"));
    assertEquals(AnnotationVerdict.NONE, reading.verdict());
    assertEquals(List.of(), reading.findings());
    assertEquals(read(SnippetAnnotations.REFUSE, Map.of()).policy(), reading.policy());
  }

  private static AnnotationReading readAtLevel(
      String level, SnippetAnnotations snippets, Map<String, String> annotations) {
    ControllerConfig config =
        level.isEmpty()
            ? ControllerConfig.DEFAULTS
            : ControllerConfig.read(Map.of("annotations-risk-level", level), finding -> {});
    return AnnotationReader.standard(snippets)
        .read(annotations, new IngressContext("default", "app", Set.of(), config));
  }

  /** ingress-nginx refuses an Ingress carrying an annotation riskier than the level. */
  @ParameterizedTest(name = "level \"{0}\", {1}: {2}")
  @CsvSource({
    // The built-in level, High: snippets are left to --snippet-annotations.
    "'', nginx.ingress.kubernetes.io/server-alias, honoured-or-ignored",
    "'', nginx.ingress.kubernetes.io/configuration-snippet, snippet-flag",
    "High, nginx.ingress.kubernetes.io/server-alias, honoured-or-ignored",
    "High, nginx.ingress.kubernetes.io/configuration-snippet, refused",
    "Medium, nginx.ingress.kubernetes.io/server-alias, refused",
    "Medium, portico.io/server-alias, refused",
    "Medium, nginx.ingress.kubernetes.io/rewrite-target, honoured-or-ignored",
    "Medium, nginx.ingress.kubernetes.io/affinity, honoured-or-ignored",
    "Low, nginx.ingress.kubernetes.io/rewrite-target, refused",
    "Low, nginx.ingress.kubernetes.io/affinity-mode, refused",
    "Low, nginx.ingress.kubernetes.io/affinity, honoured-or-ignored",
    "Low, nginx.ingress.kubernetes.io/proxy-body-size, refused",
    // A level ingress-nginx does not know is Low.
    "Meduim, nginx.ingress.kubernetes.io/rewrite-target, refused",
    "Critical, nginx.ingress.kubernetes.io/mirror-target, honoured-or-ignored",
    "Critical, nginx.ingress.kubernetes.io/configuration-snippet, snippet-flag",
    "Critical, portico.io/made-up, honoured-or-ignored",
  })
  void anAnnotationRiskierThanTheLevelRefusesTheIngress(String level, String key, String outcome) {
    Map<String, String> annotations = Map.of(key, "0");
    AnnotationReading refusing = readAtLevel(level, SnippetAnnotations.REFUSE, annotations);
    AnnotationReading ignoring = readAtLevel(level, SnippetAnnotations.IGNORE, annotations);
    switch (outcome) {
      case "refused" -> {
        assertEquals("refused", fate(ignoring, key));
        assertTrue(ignoring.refused());
        String name = key.substring(key.indexOf('/') + 1);
        String risk = AnnotationRisk.of(name).orElseThrow().spelling();
        String inForce = level.equals("Meduim") ? "Low" : level;
        assertEquals(
            "not served: "
                + key
                + " (risk "
                + risk
                + ", above the ConfigMap's annotations-risk-level "
                + inForce
                + ")",
            ignoring.findings().get(0).message());
      }
      case "snippet-flag" -> {
        assertTrue(refusing.refused());
        assertFalse(ignoring.refused());
        assertEquals("ignored", fate(ignoring, key));
      }
      default -> {
        assertFalse(ignoring.refused(), ignoring.findings().toString());
        assertFalse(fate(ignoring, key).equals("refused"));
      }
    }
  }

  @Test
  void theNginxTwinOfAPorticoAnnotationIsJudgedByRiskToo() {
    AnnotationReading reading =
        readAtLevel(
            "Low",
            SnippetAnnotations.REFUSE,
            Map.of(
                "portico.io/session-cookie-name", "route",
                "nginx.ingress.kubernetes.io/session-cookie-name", "route"));
    assertEquals("refused", fate(reading, "portico.io/session-cookie-name"));
    assertEquals("refused", fate(reading, "nginx.ingress.kubernetes.io/session-cookie-name"));
  }
}
