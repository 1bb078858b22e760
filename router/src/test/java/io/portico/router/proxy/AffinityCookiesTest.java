package io.portico.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.balance.AffinityKey;
import io.portico.router.balance.AffinityMode;
import io.portico.router.balance.CookieAffinity;
import io.portico.router.balance.SameSite;
import io.portico.router.balance.StickyIndex;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the Cookie header and writing Set-Cookie, without a server. */
class AffinityCookiesTest {

  private static final CookieAffinity PERSISTENT =
      CookieAffinity.builder().mode(AffinityMode.PERSISTENT).build();
  private static final StickyIndex INDEX =
      new StickyIndex(AffinityKey.builtIn(), "ns/svc:80", PERSISTENT, List.of("a", "b", "c"), 3);
  private static final StickyIndex OTHER =
      new StickyIndex(AffinityKey.builtIn(), "ns/other:80", PERSISTENT, List.of("x"), 1);
  private static final Instant NOW = Instant.parse("2026-03-05T07:08:09Z");

  private static int find(String header) {
    return AffinityCookies.find(header, "INGRESSCOOKIE", INDEX);
  }

  @Test
  void findsTheValueThisBackendKnowsAmongJunkAndForeignCookies() {
    String b = INDEX.persistentValue(1);
    assertEquals(1, find("INGRESSCOOKIE=" + b));
    assertEquals(1, find("  INGRESSCOOKIE = " + b + " ;"));
    assertEquals(1, find("INGRESSCOOKIE=\"" + b + "\""));
    assertEquals(
        1,
        find(
            "INGRESSCOOKIE=junk; session=abc; INGRESSCOOKIE="
                + OTHER.persistentValue(0)
                + ";INGRESSCOOKIE="
                + b));
    assertEquals(StickyIndex.NONE, find("ingresscookie=" + b), "names are case-sensitive");
    assertEquals(StickyIndex.NONE, find("XINGRESSCOOKIE=" + b));
    assertEquals(StickyIndex.NONE, find("INGRESSCOOKIE"));
    assertEquals(StickyIndex.NONE, find(""));
    assertEquals(StickyIndex.NONE, find("; ; ="));
    assertEquals(StickyIndex.NONE, find("INGRESSCOOKIE=" + OTHER.persistentValue(0)));
  }

  @Test
  void readsEveryCookieHeader() {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("cookie", "INGRESSCOOKIE=junk")
            .add("Cookie", "a=b; INGRESSCOOKIE=" + INDEX.persistentValue(2));
    assertEquals(2, AffinityCookies.find(headers, INDEX));
    assertEquals(StickyIndex.NONE, AffinityCookies.find(MultiMap.caseInsensitiveMultiMap(), INDEX));
  }

  @Test
  void aMinimalCookieHasThePathAndHttpOnly() {
    assertEquals(
        "INGRESSCOOKIE=v; Path=/app1; HttpOnly",
        AffinityCookies.setCookie(CookieAffinity.defaults(), "v", "/app1", false, null, NOW));
    assertEquals(
        "INGRESSCOOKIE=v; Path=/app1; Secure; HttpOnly",
        AffinityCookies.setCookie(CookieAffinity.defaults(), "v", "/app1", true, null, NOW));
    assertEquals(
        "INGRESSCOOKIE=v; Path=/; HttpOnly",
        AffinityCookies.setCookie(CookieAffinity.defaults(), "v", "/a;b", false, null, NOW),
        "a rule path that cannot be a cookie path widens to /");
  }

  @Test
  void everyConfiguredAttributeIsWritten() {
    CookieAffinity all =
        CookieAffinity.builder()
            .name("route")
            .path("/shop")
            .domain(".example.com")
            .maxAgeSeconds(3600)
            .expiresSeconds(86400)
            .sameSite(SameSite.STRICT)
            .secure(true)
            .build();
    assertEquals(
        "route=v; Path=/shop; Domain=.example.com; Max-Age=3600;"
            + " Expires=Fri, 06 Mar 2026 07:08:09 GMT; Secure; HttpOnly; SameSite=Strict",
        AffinityCookies.setCookie(all, "v", "/ignored", false, null, NOW));
  }

  @Test
  void sameSiteNoneIsLeftOutOnlyForIncompatibleClientsAndOnlyWhenAsked() {
    String oldChrome =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/59.0.3071.115 Safari/537.36";
    String newChrome =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Safari/537.36";
    CookieAffinity conditional =
        CookieAffinity.builder().sameSite(SameSite.NONE).conditionalSameSiteNone(true).build();
    CookieAffinity always = CookieAffinity.builder().sameSite(SameSite.NONE).build();
    CookieAffinity lax =
        CookieAffinity.builder().sameSite(SameSite.LAX).conditionalSameSiteNone(true).build();
    assertFalse(
        AffinityCookies.setCookie(conditional, "v", "/", true, oldChrome, NOW)
            .contains("SameSite"));
    assertTrue(
        AffinityCookies.setCookie(conditional, "v", "/", true, newChrome, NOW)
            .endsWith("; SameSite=None"));
    assertTrue(
        AffinityCookies.setCookie(conditional, "v", "/", true, null, NOW)
            .endsWith("; SameSite=None"));
    assertTrue(
        AffinityCookies.setCookie(always, "v", "/", true, oldChrome, NOW)
            .endsWith("; SameSite=None"));
    assertTrue(
        AffinityCookies.setCookie(lax, "v", "/", true, oldChrome, NOW).endsWith("; SameSite=Lax"));
  }

  @Test
  void theIncompatibleUserAgentsAreIngressNginxs() {
    for (String agent :
        List.of(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2704.103 Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/66.0.3359.181 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 12_0 like Mac OS X) AppleWebKit/602.1.50 (KHTML, like Gecko) CriOS/56.0.2924.75 Mobile/14E5239e Safari/602.1",
            "Mozilla/5.0 (iPad; CPU OS 12_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Safari/605.1.15")) {
      assertFalse(SameSiteNone.supported(agent), agent);
    }
    for (String agent :
        List.of(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.2704.103 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 13_0 like Mac OS X) AppleWebKit/602.1.50 (KHTML, like Gecko) CriOS/56.0.2924.75 Mobile/14E5239e Safari/602.1",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0.4 Safari/605.1.15",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.117 Safari/537.36",
            "curl/8.5.0")) {
      assertTrue(SameSiteNone.supported(agent), agent);
    }
  }
}
