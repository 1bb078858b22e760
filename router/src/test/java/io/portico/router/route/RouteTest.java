package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.policy.HttpsRedirectPolicy;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.StrictTransportSecurityPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTest {

  private static final Backend BACKEND =
      Backend.of(new BackendId("ns", "svc", "80"), List.of(Endpoint.of("10.0.0.1", 8080)));

  private static Route route(HttpsPolicy https) {
    return new Route(
        HostnamePattern.of("a.test"),
        PathMatch.prefix("/"),
        BACKEND,
        new RouteOrigin("ns", "ing"),
        https);
  }

  @Test
  void aRouteWithoutTlsHasNoPoliciesAtAll() {
    Route plain =
        new Route(
            HostnamePattern.of("a.test"),
            PathMatch.prefix("/"),
            BACKEND,
            new RouteOrigin("ns", "i"));
    assertSame(RoutePolicies.NONE, plain.policies());
    assertSame(RoutePolicies.NONE, route(HttpsPolicy.NONE).policies());
  }

  @Test
  void theHttpsPolicyBecomesTheRedirectAndHstsPolicies() {
    assertEquals(
        List.of(HttpsRedirectPolicy.INSTANCE, StrictTransportSecurityPolicy.INSTANCE),
        route(HttpsPolicy.REDIRECT_AND_HSTS).policies().all());
    assertEquals(
        List.of(HttpsRedirectPolicy.INSTANCE),
        route(new HttpsPolicy(true, false)).policies().all());
    assertEquals(
        List.of(StrictTransportSecurityPolicy.INSTANCE),
        route(new HttpsPolicy(false, true)).policies().all());
    // Shared, not built per route.
    assertSame(
        route(HttpsPolicy.REDIRECT_AND_HSTS).policies(),
        route(new HttpsPolicy(true, true)).policies());
  }

  @Test
  void policiesThatDoNotCarryOutTheHttpsPolicyAreRefused() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Route(
                    HostnamePattern.of("a.test"),
                    PathMatch.prefix("/"),
                    BACKEND,
                    new RouteOrigin("ns", "ing"),
                    HttpsPolicy.REDIRECT_AND_HSTS,
                    RoutePolicies.of(StrictTransportSecurityPolicy.INSTANCE)));
    assertTrue(refused.getMessage().startsWith("policies: "), refused.getMessage());
  }

  @Test
  void routesWithEqualPoliciesAreEqual() {
    assertEquals(route(HttpsPolicy.REDIRECT_AND_HSTS), route(new HttpsPolicy(true, true)));
  }

  @Test
  void aConfiguredStatusOrHstsValueGivesPoliciesThatCarryThem() {
    HttpsPolicy configured = new HttpsPolicy(true, true, 301, "max-age=600; preload");
    assertEquals(
        List.of(
            new HttpsRedirectPolicy(301),
            new StrictTransportSecurityPolicy("max-age=600; preload")),
        route(configured).policies().all());
    assertEquals(
        List.of(new HttpsRedirectPolicy(301)),
        route(new HttpsPolicy(true, false, 301, StrictTransportSecurityPolicy.VALUE))
            .policies()
            .all());
    assertEquals(
        route(configured), route(new HttpsPolicy(true, true, 301, "max-age=600; preload")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpsPolicy(true, true, 200, StrictTransportSecurityPolicy.VALUE));
  }
}
