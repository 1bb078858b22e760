package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.balance.LoadBalancing;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code service-upstream}, in the spirit of ingress-nginx's annotations/serviceupstream tests: on
 * by the annotation, on by the ConfigMap, off by the annotation over the ConfigMap; and affinity
 * turned off beside it.
 */
class ServiceUpstreamFamilyTest {

  private static final String P = "nginx.ingress.kubernetes.io/";
  private static final ControllerConfig CONFIGMAP_ON =
      ControllerConfig.read(Map.of("service-upstream", "true"), finding -> {});

  private static IngressPolicy read(ControllerConfig config, Map<String, String> annotations) {
    return FamilyRun.of(new ServiceUpstreamFamily(), annotations, Set.of(), config).policy;
  }

  @Test
  void offByDefault() {
    assertFalse(read(ControllerConfig.DEFAULTS, Map.of()).serviceUpstream());
  }

  @Test
  void onByTheAnnotation() {
    assertTrue(
        read(ControllerConfig.DEFAULTS, Map.of(P + "service-upstream", "true")).serviceUpstream());
  }

  @Test
  void onByTheConfigMapAndOffByTheAnnotationOverIt() {
    assertTrue(read(CONFIGMAP_ON, Map.of()).serviceUpstream());
    assertFalse(read(CONFIGMAP_ON, Map.of(P + "service-upstream", "false")).serviceUpstream());
  }

  @Test
  void anInvalidValueIsReportedAndTheDefaultApplies() {
    FamilyRun run =
        FamilyRun.of(
            new ServiceUpstreamFamily(),
            Map.of(P + "service-upstream", "yes"),
            Set.of(),
            CONFIGMAP_ON);
    assertTrue(run.policy.serviceUpstream());
    assertEquals(
        List.of(
            "invalid nginx.ingress.kubernetes.io/service-upstream: yes (expected: \"true\" or"
                + " \"false\"); using true"),
        run.reports);
  }

  @Test
  void affinityIsTurnedOffBesideIt() {
    Map<String, String> annotations =
        Map.of(
            P + "service-upstream",
            "true",
            P + "affinity",
            "cookie",
            P + "load-balance",
            "least_request");
    AnnotationValues values = AnnotationValues.of(annotations);
    IngressPolicy.Builder builder = IngressPolicy.builder();
    FamilyRunReport report = new FamilyRunReport();
    IngressContext context =
        new IngressContext("default", "test", Set.of(), ControllerConfig.DEFAULTS);
    new AffinityFamily().read(values, context, builder, report);
    assertTrue(builder.backend().affinity().isPresent(), "the affinity family reads it");
    new ServiceUpstreamFamily().read(values, context, builder, report);
    IngressPolicy policy = builder.build();
    assertTrue(policy.serviceUpstream());
    assertTrue(policy.backend().affinity().isEmpty());
    assertEquals(LoadBalancing.LEAST_REQUEST, policy.backend().loadBalancing());
    assertEquals(
        List.of(
            "unused affinity: service-upstream sends every request to the Service's ClusterIP,"
                + " which leaves no endpoint to pin a session to: affinity is off"),
        report.reports);
  }

  /** Keeps what the families reported. */
  private static final class FamilyRunReport implements AnnotationReport {
    final java.util.List<String> reports = new java.util.ArrayList<>();

    @Override
    public void invalid(String name, String value, String expected, String instead) {
      reports.add("invalid " + name + ": " + value);
    }

    @Override
    public void refuse(String name, String why) {
      reports.add("refuse " + name + ": " + why);
    }

    @Override
    public void unused(String name, String why) {
      reports.add("unused " + name + ": " + why);
    }
  }
}
