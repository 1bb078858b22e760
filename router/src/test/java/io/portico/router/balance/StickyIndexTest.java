package io.portico.router.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The cookie codec and the consistent hashing, without any server. */
class StickyIndexTest {

  private static final AffinityKey KEY =
      AffinityKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final CookieAffinity PERSISTENT =
      CookieAffinity.builder().mode(AffinityMode.PERSISTENT).build();
  private static final CookieAffinity BALANCED = CookieAffinity.defaults();
  private static final String SCOPE = "shop/cart:8080";
  private static final List<String> PODS =
      List.of("9f1c-uid-a:8080", "9f1c-uid-b:8080", "10.1.2.3:8080");

  private static StickyIndex index(CookieAffinity affinity, List<String> identities, int ready) {
    return new StickyIndex(KEY, SCOPE, affinity, identities, ready);
  }

  private static int match(StickyIndex index, String value) {
    return index.match(value, 0, value.length());
  }

  @Test
  void persistentValuesAreOpaqueCookieSafeAndNameOneEndpointEach() {
    StickyIndex index = index(PERSISTENT, PODS, 3);
    Set<String> values = new HashSet<>();
    for (int i = 0; i < PODS.size(); i++) {
      String value = index.persistentValue(i);
      assertEquals(24, value.length(), value);
      assertTrue(value.matches("[A-Za-z0-9_-]+"), value);
      assertFalse(value.contains("10.1") || value.contains("uid"), value);
      assertEquals(i, match(index, value));
      values.add(value);
    }
    assertEquals(3, values.size());
  }

  @Test
  void everyInstanceWithTheSameKeyReadsTheSameValues() {
    StickyIndex one = index(PERSISTENT, PODS, 3);
    StickyIndex other = index(PERSISTENT, List.of(PODS.get(2), PODS.get(0), PODS.get(1)), 3);
    assertEquals(one.persistentValue(0), other.persistentValue(1));
    assertEquals(2, match(other, one.persistentValue(1)));
    StickyIndex balancedOne = index(BALANCED, PODS, 3);
    StickyIndex balancedOther = index(BALANCED, PODS, 3);
    long session = 0x5eed;
    assertEquals(balancedOne.balancedValue(session), balancedOther.balancedValue(session));
  }

  @Test
  void anotherKeyOrAnotherBackendReadsNothing() {
    StickyIndex index = index(PERSISTENT, PODS, 3);
    StickyIndex otherKey =
        new StickyIndex(AffinityKey.builtIn(), SCOPE, PERSISTENT, PODS, PODS.size());
    StickyIndex otherBackend = new StickyIndex(KEY, "shop/cart:9090", PERSISTENT, PODS, 3);
    for (int i = 0; i < PODS.size(); i++) {
      assertNotEquals(index.persistentValue(i), otherKey.persistentValue(i));
      assertEquals(StickyIndex.NONE, match(otherKey, index.persistentValue(i)));
      assertEquals(StickyIndex.NONE, match(otherBackend, index.persistentValue(i)));
    }
    StickyIndex balanced = index(BALANCED, PODS, 3);
    StickyIndex balancedElsewhere = new StickyIndex(KEY, "shop/other:8080", BALANCED, PODS, 3);
    assertEquals(StickyIndex.NONE, match(balancedElsewhere, balanced.balancedValue(1)));
    assertEquals(StickyIndex.NONE, match(balanced, index.persistentValue(0)), "other mode");
  }

  @Test
  void junkReadsNothing() {
    StickyIndex persistent = index(PERSISTENT, PODS, 3);
    StickyIndex balanced = index(BALANCED, PODS, 3);
    String valid = persistent.persistentValue(1);
    String balancedValid = balanced.balancedValue(99);
    for (String junk :
        List.of(
            "",
            "x",
            valid.substring(1),
            valid + "A",
            valid.substring(0, 23) + (valid.charAt(23) == 'A' ? 'B' : 'A'),
            "AAAAAAAAAAAAAAAAAAAAAAAA",
            "10.1.2.3:8080",
            balancedValid.substring(0, 10) + "B" + balancedValid.substring(11),
            balancedValid.substring(0, 22) + "=")) {
      assertEquals(StickyIndex.NONE, match(persistent, junk), junk);
      assertEquals(StickyIndex.NONE, match(balanced, junk), junk);
    }
  }

  @Test
  void aValueIsReadInPlaceInsideAHeader() {
    StickyIndex index = index(PERSISTENT, PODS, 3);
    String header = "a=b; INGRESSCOOKIE=" + index.persistentValue(2) + "; c=d";
    int from = header.indexOf('=', 5) + 1;
    assertEquals(2, index.match(header, from, from + 24));
  }

  @Test
  void drainingEndpointsKeepTheirCookiesButGetNoNewSessions() {
    List<String> identities = List.of("ready-a", "ready-b", "draining-c", "draining-d");
    StickyIndex persistent = index(PERSISTENT, identities, 2);
    assertEquals(2, match(persistent, persistent.persistentValue(2)));
    assertEquals(3, match(persistent, persistent.persistentValue(3)));

    StickyIndex balanced = index(BALANCED, identities, 2);
    int missed = 0;
    for (int i = 0; i < 2000; i++) {
      long session = balanced.newSession(StickyIndex.NONE);
      int endpoint = balanced.endpointOf(session);
      assertTrue(balanced.acceptsNew(endpoint, StickyIndex.NONE), "session " + i);
      assertEquals(endpoint, match(balanced, balanced.balancedValue(session)));
      // Excluding ready-a leaves one endpoint in four: a draw misses with probability 3/4, all 64
      // draws with probability 1e-8, when the caller balances without a cookie.
      int excluding = balanced.endpointOf(balanced.newSession(0));
      if (balanced.acceptsNew(excluding, 0)) {
        assertEquals(1, excluding, "only ready-b is left");
      } else {
        missed++;
      }
    }
    assertTrue(missed <= 1, missed + " new sessions found no endpoint");
    SplittableRandom random = new SplittableRandom(3);
    boolean someOnDraining = false;
    for (int i = 0; i < 200 && !someOnDraining; i++) {
      someOnDraining = balanced.endpointOf(random.nextLong()) >= 2;
    }
    assertTrue(someOnDraining, "existing sessions still hash onto draining endpoints");
  }

  /** The consistent-hashing property the balanced mode is for. */
  @Test
  void aFourthEndpointTakesAboutAQuarterOfTheSessionsAndNothingElseMoves() {
    List<String> three = List.of("pod-a:8080", "pod-b:8080", "pod-c:8080");
    List<String> four = List.of("pod-a:8080", "pod-b:8080", "pod-new:8080", "pod-c:8080");
    StickyIndex before = index(BALANCED, three, 3);
    StickyIndex after = index(BALANCED, four, 4);
    SplittableRandom random = new SplittableRandom(11);
    int sessions = 20_000;
    int moved = 0;
    Map<String, Integer> load = new HashMap<>();
    for (int i = 0; i < sessions; i++) {
      long session = random.nextLong();
      String was = before.identity(before.endpointOf(session));
      String is = after.identity(after.endpointOf(session));
      load.merge(is, 1, Integer::sum);
      if (!was.equals(is)) {
        moved++;
        assertEquals("pod-new:8080", is, "a session moved between two old endpoints");
      }
    }
    // Expected 1/4, standard deviation 0.3%: these bounds are more than ten deviations wide.
    double share = (double) moved / sessions;
    assertTrue(share > 0.20 && share < 0.30, "moved " + share);
    for (String pod : four) {
      double podShare = (double) load.get(pod) / sessions;
      assertTrue(podShare > 0.22 && podShare < 0.28, pod + " has " + podShare);
    }
  }

  @Test
  void removingAnEndpointMovesOnlyItsOwnSessions() {
    List<String> four = List.of("pod-a", "pod-b", "pod-c", "pod-d");
    StickyIndex before = index(BALANCED, four, 4);
    StickyIndex after = index(BALANCED, List.of("pod-a", "pod-c", "pod-d"), 3);
    SplittableRandom random = new SplittableRandom(5);
    IntStream.range(0, 10_000)
        .forEach(
            i -> {
              long session = random.nextLong();
              String was = before.identity(before.endpointOf(session));
              String is = after.identity(after.endpointOf(session));
              if (!was.equals("pod-b")) {
                assertEquals(was, is);
              }
            });
  }
}
