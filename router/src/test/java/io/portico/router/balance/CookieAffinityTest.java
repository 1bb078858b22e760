package io.portico.router.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CookieAffinityTest {

  @Test
  void valuesThatWouldBreakSetCookieAreRefused() {
    assertTrue(CookieAffinity.isValidName("INGRESSCOOKIE"));
    assertTrue(CookieAffinity.isValidName("route_1.v2"));
    for (String name : new String[] {"", "a b", "a;b", "a=b", "a,b", "\"a\"", "é"}) {
      assertFalse(CookieAffinity.isValidName(name), name);
    }
    assertTrue(CookieAffinity.isValidPath("/"));
    assertTrue(CookieAffinity.isValidPath("/app1/%C3%A9"));
    for (String path : new String[] {"", "app", "/a b", "/a;b", "/a\u0000", "/é"}) {
      assertFalse(CookieAffinity.isValidPath(path), path);
    }
    assertTrue(CookieAffinity.isValidDomain("example.com"));
    assertTrue(CookieAffinity.isValidDomain(".example.com"));
    for (String domain : new String[] {"", ".", "a..b", "-a.com", "a_b.com", "a.com;x", "a com"}) {
      assertFalse(CookieAffinity.isValidDomain(domain), domain);
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CookieAffinity.builder().name("a b").build());
    assertEquals(
        "name: a b (expected: a token of letters, digits and !#$%&'*+-.^_`|~)", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> CookieAffinity.builder().maxAgeSeconds(0).build());
  }

  @Test
  void onlyNonDefaultSettingsAreShown() {
    assertEquals("mode=balanced name=INGRESSCOOKIE", CookieAffinity.defaults().toString());
    assertEquals("", BackendPolicy.DEFAULT.toString());
    assertEquals(
        "load-balance=random affinity=cookie(mode=persistent name=route path=/ max-age=60"
            + " expires=120 samesite=None conditional-samesite-none secure domain=.example.com"
            + " change-on-failure)",
        BackendPolicy.of(
                LoadBalancing.RANDOM,
                CookieAffinity.builder()
                    .mode(AffinityMode.PERSISTENT)
                    .name("route")
                    .path("/")
                    .maxAgeSeconds(60)
                    .expiresSeconds(120)
                    .sameSite(SameSite.NONE)
                    .conditionalSameSiteNone(true)
                    .secure(true)
                    .domain(".example.com")
                    .changeOnFailure(true)
                    .build())
            .toString());
    assertEquals(
        new BackendPolicy(LoadBalancing.ROUND_ROBIN, Optional.of(CookieAffinity.defaults())),
        BackendPolicy.of(LoadBalancing.ROUND_ROBIN, CookieAffinity.builder().build()));
  }

  @Test
  void aShortKeyIsRefusedAndNoKeyIsEverPrinted() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AffinityKey.of(new byte[15]));
    assertTrue(
        e.getMessage().startsWith("affinity key: 15 bytes (expected: at least 16"), e.getMessage());
    assertEquals("AffinityKey[32 bytes]", AffinityKey.of(new byte[32]).toString());
    assertEquals("AffinityKey[built-in]", AffinityKey.builtIn().toString());
    assertTrue(AffinityKey.builtIn().isBuiltIn());
  }
}
