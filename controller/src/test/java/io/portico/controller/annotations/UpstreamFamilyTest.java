package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.route.BackendProtocol;
import io.portico.router.route.ResponseRate;
import io.portico.router.route.RetryPolicy;
import io.portico.router.route.UpstreamSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UpstreamFamilyTest {

  private static final UpstreamFamily FAMILY = new UpstreamFamily();
  private static final String P = "nginx.ingress.kubernetes.io/";

  @Test
  void withoutAnnotationsOnlyTheOneMegabyteBodyLimitOfIngressNginx() {
    FamilyRun run = FamilyRun.of(FAMILY, Map.of());
    assertEquals(UpstreamSettings.DEFAULT.withMaxBodyBytes(1024 * 1024), run.policy.upstream());
    assertEquals(List.of(), run.reports);
  }

  @Test
  void readsTimeoutsSizesRetriesAndProtocol() {
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of(
                P + "proxy-connect-timeout",
                "2",
                P + "proxy-read-timeout",
                "120",
                "portico.io/proxy-send-timeout",
                "30",
                P + "proxy-body-size",
                "8m",
                P + "proxy-buffer-size",
                "16k",
                P + "proxy-next-upstream",
                "error timeout http_503 non_idempotent",
                P + "proxy-next-upstream-tries",
                "2",
                P + "proxy-next-upstream-timeout",
                "10",
                P + "backend-protocol",
                "grpc"));
    UpstreamSettings settings = run.policy.upstream();
    assertEquals(2000, settings.connectTimeoutMillis());
    assertEquals(120_000, settings.readTimeoutMillis());
    assertEquals(30_000, settings.sendTimeoutMillis());
    assertEquals(8L * 1024 * 1024, settings.maxBodyBytes());
    assertEquals(16 * 1024, settings.maxResponseHeadBytes());
    assertEquals(
        new RetryPolicy(
            Set.of(
                RetryPolicy.Condition.ERROR,
                RetryPolicy.Condition.TIMEOUT,
                RetryPolicy.Condition.HTTP_503,
                RetryPolicy.Condition.NON_IDEMPOTENT),
            2,
            10_000),
        settings.retry());
    assertEquals(BackendProtocol.GRPC, settings.protocol());
    assertEquals(List.of(), run.reports);
  }

  @Test
  void offMeansOneAttemptAndZeroBodySizeNoLimit() {
    FamilyRun run =
        FamilyRun.of(FAMILY, Map.of(P + "proxy-next-upstream", "off", P + "proxy-body-size", "0"));
    assertSame(RetryPolicy.OFF, run.policy.upstream().retry());
    assertSame(UpstreamSettings.DEFAULT.withRetry(RetryPolicy.OFF).maxBodyBytes(), 0L);
    assertEquals(0, run.policy.upstream().maxBodyBytes());
  }

  @Test
  void theConfigMapGivesTheDefaults() {
    ControllerConfig config =
        ControllerConfig.read(
            Map.of(
                "proxy-read-timeout", "5",
                "proxy-body-size", "2k",
                "proxy-next-upstream", "error http_502",
                "proxy-buffer-size", "8k"),
            finding -> {});
    FamilyRun run = FamilyRun.of(FAMILY, Map.of(), Set.of(), config);
    UpstreamSettings settings = run.policy.upstream();
    assertEquals(5000, settings.readTimeoutMillis());
    assertEquals(0, settings.connectTimeoutMillis(), "unset: the listener's flag");
    assertEquals(2048, settings.maxBodyBytes());
    assertEquals(8192, settings.maxResponseHeadBytes());
    assertEquals(
        Set.of(RetryPolicy.Condition.ERROR, RetryPolicy.Condition.HTTP_502),
        settings.retry().conditions());
  }

  @Test
  void badValuesAreReportedAndTheDefaultsApply() {
    FamilyRun run =
        FamilyRun.of(
            FAMILY,
            Map.of(
                P + "proxy-read-timeout", "30s",
                P + "proxy-body-size", "lots",
                P + "proxy-buffer-size", "64k",
                P + "proxy-next-upstream", "error sometimes",
                P + "backend-protocol", "SPDY"));
    assertEquals(UpstreamSettings.DEFAULT.withMaxBodyBytes(1024 * 1024), run.policy.upstream());
    assertEquals(5, run.reports.size(), run.reports.toString());
  }

  @Test
  void limitRateAndLimitRateAfterAreKibibytes() {
    FamilyRun run =
        FamilyRun.of(FAMILY, Map.of(P + "limit-rate", "100", P + "limit-rate-after", "50"));
    assertEquals(new ResponseRate(100 * 1024, 50 * 1024), run.policy.upstream().responseRate());
    assertEquals(false, run.policy.upstream().pooled());
    assertEquals(List.of(), run.reports);
  }

  @Test
  void limitRateZeroOrAloneAfterIsNoLimit() {
    FamilyRun zero = FamilyRun.of(FAMILY, Map.of(P + "limit-rate", "0"));
    assertSame(ResponseRate.NONE, zero.policy.upstream().responseRate());
    FamilyRun after = FamilyRun.of(FAMILY, Map.of(P + "limit-rate-after", "50"));
    assertSame(ResponseRate.NONE, after.policy.upstream().responseRate());
    assertEquals(true, after.policy.upstream().pooled());
  }

  @Test
  void aLimitRateThatIsNotAWholeNumberIsReportedAndNotApplied() {
    for (String bad : List.of("fast", "-5", "1.5", "10k", "99999999999")) {
      FamilyRun run = FamilyRun.of(FAMILY, Map.of(P + "limit-rate", bad));
      assertSame(ResponseRate.NONE, run.policy.upstream().responseRate(), bad);
      assertEquals(1, run.reports.size(), run.reports.toString());
      assertEquals(true, run.reports.get(0).startsWith("invalid " + P + "limit-rate: " + bad), bad);
    }
  }

  @Test
  void fastCgiRefusesTheIngress() {
    FamilyRun run = FamilyRun.of(FAMILY, Map.of(P + "backend-protocol", "FCGI"));
    assertEquals(1, run.reports.size());
    assertEquals(
        true, run.reports.get(0).startsWith("refuse backend-protocol"), run.reports.toString());
  }

  @Test
  void equalAnnotationsGiveEqualSettings() {
    Map<String, String> annotations = Map.of(P + "proxy-read-timeout", "7");
    assertEquals(
        FamilyRun.of(FAMILY, annotations).policy.upstream(),
        FamilyRun.of(FAMILY, annotations).policy.upstream());
  }
}
