package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.policy.CanaryMatch;
import io.portico.router.policy.HeaderMatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanaryFamilyTest {

  private static final CanaryFamily FAMILY = new CanaryFamily();
  private static final String NGINX = "nginx.ingress.kubernetes.io/";

  private static FamilyRun run(String... keysAndValues) {
    Map<String, String> annotations = new java.util.HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      annotations.put(NGINX + keysAndValues[i], keysAndValues[i + 1]);
    }
    return FamilyRun.of(FAMILY, annotations);
  }

  @Test
  void withoutAnnotationsNotACanary() {
    FamilyRun run = FamilyRun.of(FAMILY, Map.of());
    assertEquals(Optional.empty(), run.policy.canary());
    assertEquals(List.of(), run.reports);
  }

  @Test
  void readsHeaderCookieAndWeightAsIngressNginxDoes() {
    FamilyRun run =
        run(
            "canary", "true",
            "canary-by-header", "X-Canary",
            "canary-by-header-value", "yes",
            "canary-by-cookie", "beta",
            "canary-weight", "30",
            "canary-weight-total", "1000",
            "affinity-canary-behavior", "legacy");
    assertEquals(
        Optional.of(
            new CanarySpec(
                new CanaryMatch(
                    Optional.of(new HeaderMatch.Value("X-Canary", "yes")), Optional.of("beta"), 30),
                1000,
                false)),
        run.policy.canary());
    assertEquals(List.of(), run.reports);
  }

  @ParameterizedTest(name = "canary-weight {0} of {1}: no requests by weight")
  @CsvSource({"abc, ''", "-5, ''", "150, ''", "101, ''", "10, many", "10, -1"})
  void aWeightThatCannotBeReadTakesNothing(String weight, String total) {
    FamilyRun run =
        total.isEmpty()
            ? run("canary", "true", "canary-weight", weight)
            : run("canary", "true", "canary-weight", weight, "canary-weight-total", total);
    assertEquals(0, run.policy.canary().orElseThrow().match().weight());
    assertTrue(
        run.reports.stream().anyMatch(r -> r.contains("the canary takes no requests by weight")),
        run.reports.toString());
  }

  @Test
  void aTotalBelowOneHundredIsIgnoredAsIngressNginxIgnoresIt() {
    FamilyRun run = run("canary", "true", "canary-weight", "20", "canary-weight-total", "50");
    CanarySpec spec = run.policy.canary().orElseThrow();
    assertEquals(20, spec.match().weight());
    assertEquals(100, spec.weightTotal());
    assertEquals(1, run.reports.size(), run.reports.toString());
    assertTrue(run.reports.get(0).startsWith("unused canary-weight-total"), run.reports.get(0));
  }

  @Test
  void aPatternThatDoesNotCompileSendsTheHeaderToTheMainBackend() {
    FamilyRun run =
        run(
            "canary", "true",
            "canary-by-header", "X-Canary",
            "canary-by-header-pattern", "[a-",
            "canary-weight", "0");
    HeaderMatch header = run.policy.canary().orElseThrow().match().header().orElseThrow();
    assertInstanceOf(HeaderMatch.Unusable.class, header);
    assertEquals(1, run.reports.size());
    assertTrue(
        run.reports
            .get(0)
            .startsWith("invalid nginx.ingress.kubernetes.io/canary-by-header-pattern: [a-"),
        run.reports.get(0));
  }

  @Test
  void aCanaryValueNeitherTrueNorFalseRefusesTheIngress() {
    FamilyRun run = run("canary", "yes", "canary-weight", "100");
    assertEquals(Optional.empty(), run.policy.canary());
    assertEquals("refuse canary", run.reports.get(0).substring(0, "refuse canary".length()));
    assertEquals("unused canary-weight: canary cannot be read", run.reports.get(1));
  }

  @Test
  void canaryAnnotationsWithoutCanaryRefuseTheIngress() {
    FamilyRun run = run("canary-by-header", "X-Canary", "affinity-canary-behavior", "legacy");
    assertEquals(Optional.empty(), run.policy.canary());
    assertEquals(2, run.reports.size(), run.reports.toString());
    assertTrue(
        run.reports.contains(
            "refuse canary-by-header: canary: \"true\" is not set: served as a normal Ingress,"
                + " the canary would take all the traffic of its rules"),
        run.reports.toString());
    assertTrue(
        run.reports.contains(
            "unused affinity-canary-behavior: read on canary Ingresses,"
                + " and canary is not set"),
        run.reports.toString());
  }

  @Test
  void canaryFalseLeavesANormalIngress() {
    FamilyRun run = run("canary", "false", "canary-weight", "100");
    assertEquals(Optional.empty(), run.policy.canary());
    assertEquals(
        List.of("unused canary-weight: the Ingress is not a canary (canary is \"false\")"),
        run.reports);
  }

  @Test
  void otherFamiliesAnnotationsOnACanaryAreUnusedButItsOwnBalancingIsNot() {
    FamilyRun run =
        run(
            "canary", "true",
            "ssl-redirect", "false",
            "mirror-target", "http://copies/",
            "load-balance", "random",
            "affinity", "cookie");
    assertEquals(
        List.of("mirror-target", "ssl-redirect"),
        run.reports.stream()
            .filter(r -> r.startsWith("unused "))
            .map(r -> r.substring("unused ".length(), r.indexOf(':')))
            .sorted()
            .toList());
  }
}
