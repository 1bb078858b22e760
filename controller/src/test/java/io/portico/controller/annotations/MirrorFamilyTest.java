package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.policy.CanaryMatch;
import io.portico.router.policy.MirrorPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MirrorFamilyTest {

  private static final MirrorFamily FAMILY = new MirrorFamily();

  @Test
  void aTargetIsAServicePortOfTheIngresssNamespace() {
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of(
                "nginx.ingress.kubernetes.io/mirror-target",
                "http://copies.default.svc.cluster.local:8080/m$request_uri",
                "portico.io/mirror-host",
                "copies.test",
                "nginx.ingress.kubernetes.io/mirror-request-body",
                "off"));
    assertEquals(
        Optional.of(
            new MirrorTarget(
                "copies",
                "8080",
                new MirrorPolicy("/m", true, "copies.test", false),
                "http://copies.default.svc.cluster.local:8080/m$request_uri")),
        run.policy.mirror());
    assertEquals(List.of(), run.reports);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "https://copies/",
        "http://copies.kube-system/",
        "http://test.env.com/",
        "http://copies/$host",
        "http://copies:0/",
        "copies"
      })
  void aTargetThatIsNotAServiceOfTheNamespaceMirrorsNothing(String target) {
    FamilyRun run =
        FamilyRun.of(FAMILY, Map.of("nginx.ingress.kubernetes.io/mirror-target", target));
    assertEquals(Optional.empty(), run.policy.mirror());
    assertEquals(1, run.reports.size());
    assertTrue(
        run.reports.get(0).startsWith("invalid nginx.ingress.kubernetes.io/mirror-target: "),
        run.reports.get(0));
    assertTrue(run.reports.get(0).endsWith("no request is mirrored"), run.reports.get(0));
  }

  @Test
  void notReadOnACanary() {
    IngressPolicy.Builder policy =
        IngressPolicy.builder()
            .canary(
                new CanarySpec(new CanaryMatch(Optional.empty(), Optional.empty(), 0), 100, true));
    AnnotationValues values =
        AnnotationValues.of(Map.of("nginx.ingress.kubernetes.io/mirror-target", "http://copies/"));
    FAMILY.read(
        values,
        new IngressContext("default", "canary", java.util.Set.of(), ControllerConfig.DEFAULTS),
        policy,
        new AnnotationReport() {
          @Override
          public void invalid(String name, String value, String expected, String instead) {}

          @Override
          public void refuse(String name, String why) {}

          @Override
          public void unused(String name, String why) {}
        });
    assertEquals(Optional.empty(), policy.build().mirror());
    assertEquals(false, values.wasRead("mirror-target"));
  }
}
