package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.balance.BackendPolicy;
import io.portico.router.balance.CookieAffinity;
import io.portico.router.balance.LoadBalancing;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UpstreamTest {

  private static final BackendId ID = new BackendId("d", "s", "80");
  private static final List<Endpoint> READY =
      List.of(
          Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80), Endpoint.of("10.0.0.3", 80));
  private static final List<Endpoint> DRAINING = List.of(Endpoint.of("10.0.0.9", 80));

  private static Upstream upstream(LoadBalancing policy) {
    return new Upstream(new Backend(ID, READY, DRAINING, BackendPolicy.of(policy)));
  }

  @ParameterizedTest
  @EnumSource(LoadBalancing.class)
  void newRequestsReachEveryReadyEndpointAndNeverADrainingOne(LoadBalancing policy) {
    Upstream upstream = upstream(policy);
    Set<Integer> chosen = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      chosen.add(upstream.choose());
    }
    assertEquals(Set.of(0, 1, 2), chosen);
    assertEquals(DRAINING.get(0), upstream.endpoint(3), "draining endpoints are numbered last");
  }

  @ParameterizedTest
  @EnumSource(LoadBalancing.class)
  void aRetryNeverGoesBackToTheFailedEndpoint(LoadBalancing policy) {
    Upstream upstream = upstream(policy);
    for (int failed = 0; failed < 4; failed++) {
      Set<Integer> chosen = new HashSet<>();
      for (int i = 0; i < 300; i++) {
        int other = upstream.chooseOther(failed);
        assertNotEquals(failed, other);
        assertTrue(other >= 0 && other < 3, "ready only: " + other);
        chosen.add(other);
      }
      assertEquals(failed < 3 ? 2 : 3, chosen.size(), "every other ready endpoint is used");
    }
    Upstream single =
        new Upstream(new Backend(ID, READY.subList(0, 1), DRAINING, BackendPolicy.of(policy)));
    assertEquals(Upstream.NONE, single.chooseOther(0));
    assertEquals(0, single.chooseOther(1), "a failed draining endpoint leaves the ready one");
    assertNull(new Upstream(Backend.of(ID, List.of())).pick());
  }

  @Test
  void leastRequestNeverPicksTheBusierOfTwo() {
    Upstream upstream = upstream(LoadBalancing.LEAST_REQUEST);
    upstream.begin(1);
    upstream.begin(1);
    upstream.begin(2);
    for (int i = 0; i < 300; i++) {
      assertNotEquals(1, upstream.choose(), "endpoint 1 loses to either other");
    }
    assertEquals(2, upstream.inFlight(READY.get(1)));
    upstream.end(1);
    upstream.end(1);
    upstream.end(2);
    assertEquals(0, upstream.inFlight(READY.get(1)));
    assertEquals(0, upstream(LoadBalancing.ROUND_ROBIN).inFlight(READY.get(0)), "not counted");
  }

  @Test
  void onlyAffinityBuildsCookieValues() {
    assertNull(upstream(LoadBalancing.ROUND_ROBIN).sticky());
    Upstream sticky =
        new Upstream(
            new Backend(
                ID,
                READY,
                DRAINING,
                BackendPolicy.of(LoadBalancing.RANDOM, CookieAffinity.defaults())));
    assertNotNull(sticky.sticky());
    assertEquals(4, sticky.sticky().size());
    assertEquals(3, sticky.sticky().readyCount());
  }

  @Test
  void backendsDifferingOnlyInPolicyAreDifferentAndShowIt() {
    Backend plain = new Backend(ID, READY, List.of());
    Backend sticky =
        plain.withPolicy(BackendPolicy.of(LoadBalancing.ROUND_ROBIN, CookieAffinity.defaults()));
    assertNotEquals(plain, sticky);
    assertEquals(plain, Backend.of(ID, READY));
    assertEquals("d/s:80 [10.0.0.1:80, 10.0.0.2:80, 10.0.0.3:80]", plain.toString());
    assertEquals(
        "d/s:80 [10.0.0.1:80, 10.0.0.2:80, 10.0.0.3:80] {affinity=cookie(mode=balanced"
            + " name=INGRESSCOOKIE)}",
        sticky.toString());
  }
}
