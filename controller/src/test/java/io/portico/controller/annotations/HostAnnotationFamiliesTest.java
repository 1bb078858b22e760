package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.policy.UpstreamHostPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code server-alias}, {@code upstream-vhost} and the error-page annotations, read. */
class HostAnnotationFamiliesTest {

  private static final String NGINX = "nginx.ingress.kubernetes.io/";

  @Test
  void serverAliasesAreHostNamesOrWildcards() {
    FamilyRun run =
        FamilyRun.of(
            new ServerAliasFamily(),
            Map.of(NGINX + "server-alias", "bar, *.bar.test ,BAR,~^www\\d+\\.x$,"));
    assertEquals(
        List.of(HostnamePattern.of("bar"), HostnamePattern.of("*.bar.test")),
        run.policy.routing().serverAliases());
    assertEquals(1, run.reports.size());
    assertEquals(
        "invalid nginx.ingress.kubernetes.io/server-alias: \"~^www\\d+\\.x$\" (expected: a host"
            + " name or a *. wildcard (regular-expression names are not supported)); this alias is"
            + " left out",
        run.reports.get(0));
  }

  @Test
  void upstreamVhostIsAHostNeverAVariable() {
    FamilyRun run =
        FamilyRun.of(new UpstreamVhostFamily(), Map.of(NGINX + "upstream-vhost", "internal.test"));
    assertEquals(
        List.of(new UpstreamHostPolicy("internal.test")),
        run.policy.routeRules().get(0).policies(HostnamePattern.any(), PathMatch.prefix("/")));
    FamilyRun variable =
        FamilyRun.of(new UpstreamVhostFamily(), Map.of(NGINX + "upstream-vhost", "$host"));
    assertEquals(List.of(), variable.policy.routeRules());
    assertEquals(1, variable.reports.size());
  }

  @Test
  void customHttpErrorsFallBackToTheControllerDefaults() {
    ControllerConfig controller =
        ControllerConfig.read(
            Map.of("custom-http-errors", "503"),
            finding -> {
              throw new AssertionError(finding.toString());
            });
    FamilyRun own =
        FamilyRun.of(
            new ErrorPagesFamily(),
            Map.of(
                NGINX + "custom-http-errors", "404, 500,404", NGINX + "default-backend", "errors"),
            Set.of(),
            controller);
    assertEquals(List.of(404, 500), own.policy.routing().customHttpErrors());
    assertEquals("errors", own.policy.routing().defaultBackend());
    FamilyRun inherited = FamilyRun.of(new ErrorPagesFamily(), Map.of(), Set.of(), controller);
    assertEquals(List.of(503), inherited.policy.routing().customHttpErrors());
    FamilyRun bad =
        FamilyRun.of(
            new ErrorPagesFamily(),
            Map.of(NGINX + "custom-http-errors", "404,200", NGINX + "default-backend", "ns/errors"),
            Set.of(),
            controller);
    assertEquals(List.of(503), bad.policy.routing().customHttpErrors());
    assertNull(bad.policy.routing().defaultBackend());
    assertEquals(2, bad.reports.size());
    FamilyRun disabled =
        FamilyRun.of(
            new ErrorPagesFamily(),
            Map.of(
                NGINX + "custom-http-errors",
                "404",
                NGINX + "disable-proxy-intercept-errors",
                "true"),
            Set.of(),
            controller);
    assertEquals(List.of(), disabled.policy.routing().customHttpErrors());
  }
}
