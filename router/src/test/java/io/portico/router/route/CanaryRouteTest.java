package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.policy.CanaryMatch;
import io.portico.router.policy.CanaryPolicy;
import io.portico.router.policy.HttpsRedirectPolicy;
import io.portico.router.policy.RoutePolicies;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Routes with canaries: their policy, their targets, their upstreams and their dump. */
class CanaryRouteTest {

  private static final HostnamePattern HOST = HostnamePattern.of("app.test");
  private static final Backend MAIN =
      Backend.of(new BackendId("ns", "app", "80"), List.of(Endpoint.of("10.0.0.1", 8080)));
  private static final Backend V2 =
      Backend.of(new BackendId("ns", "app-v2", "80"), List.of(Endpoint.of("10.0.0.2", 8080)));

  private static Canaries weighted(int weight) {
    return new Canaries(
        List.of(new Canary(V2, new RouteOrigin("ns", "app-canary"), CanaryMatch.weight(weight))),
        100);
  }

  private static Route route(String path, Backend backend) {
    return new Route(
        HOST, PathMatch.prefix(path), backend, new RouteOrigin("ns", "app"), HttpsPolicy.NONE);
  }

  @Test
  void withCanariesAddsTheOnePolicyThatChoosesAmongThemAndNoneRemovesIt() {
    Route plain =
        new Route(
            HOST,
            PathMatch.prefix("/"),
            MAIN,
            new RouteOrigin("ns", "app"),
            HttpsPolicy.REDIRECT_AND_HSTS);
    Route canaried = plain.withCanaries(weighted(10));
    assertEquals(3, canaried.policies().all().size());
    assertTrue(canaried.policies().all().get(2) instanceof CanaryPolicy, "last: BACKEND_CHOICE");
    assertEquals(2, canaried.backendCount());
    assertSame(V2, canaried.backend(1));
    Route again = canaried.withCanaries(weighted(20));
    assertEquals(3, again.policies().all().size());
    assertEquals(plain, again.withCanaries(Canaries.NONE));
  }

  @Test
  void policiesThatDoNotCarryOutTheCanariesAreRefused() {
    Route canaried = route("/", MAIN).withCanaries(weighted(10));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Route(
                HOST,
                PathMatch.prefix("/"),
                MAIN,
                new RouteOrigin("ns", "app"),
                HttpsPolicy.NONE,
                RoutePolicies.NONE,
                weighted(10),
                Optional.empty(),
                null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Route(
                HOST,
                PathMatch.prefix("/"),
                MAIN,
                new RouteOrigin("ns", "app"),
                HttpsPolicy.NONE,
                canaried.policies(),
                weighted(20),
                Optional.empty(),
                null),
        "another weight");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Route(
                HOST,
                PathMatch.prefix("/"),
                MAIN,
                new RouteOrigin("ns", "app"),
                HttpsPolicy.NONE,
                RoutePolicies.of(HttpsRedirectPolicy.INSTANCE, weighted(10).policy())),
        "a canary policy without canaries");
  }

  @Test
  void theWeightsOfTheCanariesMayNotExceedTheTotal() {
    Canary heavy = new Canary(V2, new RouteOrigin("ns", "c"), CanaryMatch.weight(80));
    assertThrows(IllegalArgumentException.class, () -> new Canaries(List.of(heavy, heavy), 100));
    assertEquals(160, new Canaries(List.of(heavy, heavy), 160).weightTotal());
  }

  @Test
  void aServiceUsedAsACanaryIsOneUpstreamWithItsUseAsANormalBackend() {
    RouteTableBuilder builder = RouteTable.builder();
    builder.add(route("/", MAIN).withCanaries(weighted(10)));
    builder.add(route("/v2", V2));
    RouteTable table = builder.build();
    RouteTarget root = table.match("app.test", "/");
    RouteTarget v2 = table.match("app.test", "/v2/x");
    assertEquals(1, root.canaries().size());
    assertSame(v2.upstream(), root.backend(1).upstream(), "one balancer for the Service port");
    assertSame(root, root.backend(0));
    assertNull(root.backend(2));
    assertSame(V2, root.backend(1).servedBy());
    assertSame(root.route(), root.backend(1).route());
    assertEquals(2, table.endpointCount());
  }

  @Test
  void equalCanariesMakeEqualTablesAndAnotherWeightDoesNot() {
    RouteTableBuilder a = RouteTable.builder();
    a.add(route("/", MAIN).withCanaries(weighted(10)));
    RouteTableBuilder b = RouteTable.builder();
    b.add(route("/", MAIN).withCanaries(weighted(10)));
    RouteTableBuilder c = RouteTable.builder();
    c.add(route("/", MAIN).withCanaries(weighted(50)));
    RouteTable first = a.build();
    assertEquals(first, b.build());
    assertTrue(!first.equals(c.build()));
    assertNotSame(
        first.match("app.test", "/").route().policies(),
        c.build().match("app.test", "/").route().policies());
  }

  @Test
  void theDumpShowsEachCanaryUnderItsRule() {
    RouteTableBuilder builder = RouteTable.builder();
    builder.add(route("/", MAIN).withCanaries(weighted(10)));
    assertEquals(
        "host app.test\n"
            + "  Prefix / -> ns/app:80 [10.0.0.1:8080]  (ns/app)\n"
            + "    canary ns/app-v2:80 [10.0.0.2:8080]  (ns/app-canary)  weight 10/100\n",
        builder.build().dump());
  }
}
