package io.portico.router.policy;

import static io.portico.router.policy.TestPolicies.Named.proceeding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutePoliciesTest {

  @Test
  void theRunOrderIsThePhaseOrderWhateverTheOrderGiven() {
    List<RequestPolicy> given = new ArrayList<>();
    List<PolicyPhase> backwards = new ArrayList<>(Arrays.asList(PolicyPhase.values()));
    java.util.Collections.reverse(backwards);
    for (PolicyPhase phase : backwards) {
      given.add(proceeding(phase.name(), phase));
    }
    List<PolicyPhase> run =
        RoutePolicies.of(given).all().stream().map(RequestPolicy::phase).toList();
    assertEquals(List.of(PolicyPhase.values()), run);
  }

  @Test
  void thePhasesAreIngressNginxsOrder() {
    assertEquals(
        List.of(
            PolicyPhase.ACCESS,
            PolicyPhase.AUTHENTICATION,
            PolicyPhase.RATE_LIMIT,
            PolicyPhase.REDIRECT,
            PolicyPhase.REWRITE,
            PolicyPhase.HEADERS,
            PolicyPhase.BACKEND_CHOICE),
        List.of(PolicyPhase.values()));
  }

  @Test
  void policiesOfOnePhaseKeepTheirOrder() {
    RequestPolicy first = proceeding("first", PolicyPhase.HEADERS);
    RequestPolicy second = proceeding("second", PolicyPhase.HEADERS);
    RequestPolicy access = proceeding("access", PolicyPhase.ACCESS);
    assertEquals(List.of(access, first, second), RoutePolicies.of(first, access, second).all());
    assertEquals(List.of(access, second, first), RoutePolicies.of(second, first, access).all());
  }

  @Test
  void noPoliciesIsTheSharedNone() {
    assertSame(RoutePolicies.NONE, RoutePolicies.of(List.of()));
    assertSame(RoutePolicies.NONE, RoutePolicies.of());
    assertTrue(RoutePolicies.NONE.isEmpty());
    RoutePolicies one = RoutePolicies.of(proceeding("a", PolicyPhase.ACCESS));
    assertSame(one, one.with(RoutePolicies.NONE));
    assertSame(one, RoutePolicies.NONE.with(one));
  }

  @Test
  void withMergesAndSortsAgain() {
    RequestPolicy redirect = proceeding("redirect", PolicyPhase.REDIRECT);
    RequestPolicy headers = proceeding("headers", PolicyPhase.HEADERS);
    RequestPolicy access = proceeding("access", PolicyPhase.ACCESS);
    RoutePolicies merged = RoutePolicies.of(redirect, headers).with(RoutePolicies.of(access));
    assertEquals(List.of(access, redirect, headers), merged.all());
    assertTrue(merged.containsAll(RoutePolicies.of(headers)));
    assertFalse(RoutePolicies.of(headers).containsAll(merged));
  }

  @Test
  void responseHeadPoliciesAreKnownWithoutAScanPerRequest() {
    RequestPolicy access = proceeding("access", PolicyPhase.ACCESS);
    RoutePolicies policies =
        RoutePolicies.of(
            StrictTransportSecurityPolicy.INSTANCE, access, HttpsRedirectPolicy.INSTANCE);
    assertEquals(
        List.of(access, HttpsRedirectPolicy.INSTANCE, StrictTransportSecurityPolicy.INSTANCE),
        policies.all());
    assertEquals(List.of(StrictTransportSecurityPolicy.INSTANCE), policies.responseHeadPolicies());
  }

  @Test
  void equalPoliciesMakeEqualSets() {
    assertEquals(
        RoutePolicies.of(HttpsRedirectPolicy.INSTANCE, StrictTransportSecurityPolicy.INSTANCE),
        RoutePolicies.of(new StrictTransportSecurityPolicy(), new HttpsRedirectPolicy()));
    assertEquals(
        RoutePolicies.of(HttpsRedirectPolicy.INSTANCE).hashCode(),
        RoutePolicies.of(new HttpsRedirectPolicy()).hashCode());
  }

  @Test
  void aNullPolicyOrPhaseIsRefused() {
    assertThrows(NullPointerException.class, () -> RoutePolicies.of((RequestPolicy) null));
    assertThrows(NullPointerException.class, () -> RoutePolicies.of(proceeding("no phase", null)));
  }
}
