package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.balance.AffinityKey;
import io.portico.router.balance.AffinityMode;
import io.portico.router.balance.BackendPolicy;
import io.portico.router.balance.CookieAffinity;
import io.portico.router.balance.LoadBalancing;
import io.portico.router.balance.SameSite;
import io.portico.router.balance.StickyIndex;
import io.portico.router.echo.EchoBackend;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.route.Upstream;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Session affinity through the real server to three real local backends: what a browser with a
 * cookie jar sees.
 */
class StickySessionIntegrationTest {

  private static final String HOST = "sticky.test";
  private static final AffinityKey KEY =
      AffinityKey.of("a shared secret of 32 bytes!!!!!".getBytes(StandardCharsets.US_ASCII));
  private static final BackendId APP1 = new BackendId("default", "app1-svc", "8888");

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final List<EchoBackend> backends = new ArrayList<>();
  private final List<Endpoint> endpoints = new ArrayList<>();
  private Endpoint other;

  @BeforeEach
  void startBackends() throws Exception {
    for (String name : List.of("a", "b", "c", "d")) {
      EchoBackend backend = await(EchoBackend.start(vertx.vertx(), "app1", "127.0.0.1", 0));
      backends.add(backend);
      endpoints.add(new Endpoint("127.0.0.1", backend.port(), "pod-" + name + "-uid:8080"));
    }
    EchoBackend otherBackend = await(EchoBackend.start(vertx.vertx(), "other", "127.0.0.1", 0));
    other = new Endpoint("127.0.0.1", otherBackend.port(), "pod-other-uid:8080");
  }

  /** The first three endpoints; the fourth joins in the scaling test. */
  private List<Endpoint> three() {
    return endpoints.subList(0, 3);
  }

  private static CookieAffinity.Builder cookie(AffinityMode mode) {
    return CookieAffinity.builder().mode(mode);
  }

  /**
   * {@code sticky.test/} on app1 with the given affinity, and {@code sticky.test/other} on another
   * Service with the same cookie name, whose cookies app1 must ignore.
   */
  private RouteTable table(
      AffinityKey key, BackendPolicy policy, List<Endpoint> ready, List<Endpoint> draining) {
    RouteTableBuilder table = RouteTable.builder(key);
    table.add(
        new Route(
            HostnamePattern.of(HOST),
            PathMatch.prefix("/"),
            new Backend(APP1, ready, draining, policy),
            new RouteOrigin("default", "sticky")));
    table.add(
        new Route(
            HostnamePattern.of(HOST),
            PathMatch.prefix("/other"),
            new Backend(
                new BackendId("default", "other-svc", "80"),
                List.of(other),
                List.of(),
                BackendPolicy.of(
                    LoadBalancing.ROUND_ROBIN, cookie(AffinityMode.PERSISTENT).build())),
            new RouteOrigin("default", "sticky")));
    return table.build();
  }

  private RouteTable table(CookieAffinity affinity, List<Endpoint> ready) {
    return table(KEY, BackendPolicy.of(LoadBalancing.ROUND_ROBIN, affinity), ready, List.of());
  }

  /** A proxy serving its own live configuration. */
  private final class Portico {
    final LiveConfig config = new LiveConfig();
    final ProxyServer server;
    final HttpProbe client;

    Portico(RouteTable table) throws Exception {
      config.publish(table);
      server =
          await(
              ProxyServer.start(
                  vertx.vertx(),
                  config,
                  ProxySettings.defaults("127.0.0.1", 0)
                      .withEventLoops(2)
                      .withTimeouts(
                          Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30))));
      client = new HttpProbe(vertx.vertx(), server.httpPort());
    }

    Reply get(String path, String cookieHeader) throws Exception {
      return get(path, cookieHeader, null);
    }

    Reply get(String path, String cookieHeader, String userAgent) throws Exception {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      if (cookieHeader != null) {
        headers.add("cookie", cookieHeader);
      }
      if (userAgent != null) {
        headers.add("user-agent", userAgent);
      }
      HttpProbe.Answer answer = client.send(HttpMethod.GET, HOST, path, headers, null);
      assertEquals(200, answer.status(), answer.text());
      List<String> setCookies = answer.headers().getAll("set-cookie");
      assertTrue(setCookies.size() <= 1, setCookies.toString());
      String instance = answer.json().getString("instance");
      return new Reply(instance, setCookies.isEmpty() ? null : setCookies.get(0));
    }

    Upstream app1() {
      return config.current().routes().match(HOST, "/").upstream();
    }
  }

  /** Which endpoint answered, and the Set-Cookie header if any. */
  private record Reply(String instance, String setCookie) {
    /** {@code NAME=value}, as a browser would send it back. */
    String cookie() {
      assertNotNull(setCookie, "no Set-Cookie");
      return setCookie.substring(0, setCookie.indexOf(';'));
    }
  }

  private static String instance(Endpoint endpoint) {
    return endpoint.address();
  }

  @ParameterizedTest
  @EnumSource(AffinityMode.class)
  void fiftyRequestsWithTheCookieStayOnOneEndpoint(AffinityMode mode) throws Exception {
    Portico portico = new Portico(table(cookie(mode).build(), three()));
    for (int client = 0; client < 3; client++) {
      Reply first = portico.get("/cart", null);
      String cookie = first.cookie();
      for (int i = 0; i < 50; i++) {
        Reply next = portico.get("/cart/" + i, cookie);
        assertEquals(first.instance(), next.instance(), "request " + i);
        assertNull(next.setCookie(), "a valid cookie is not set again");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AffinityMode.class)
  void withoutACookieRequestsSpreadAndEachStartsASession(AffinityMode mode) throws Exception {
    Portico portico = new Portico(table(cookie(mode).build(), three()));
    Map<String, Integer> seen = new HashMap<>();
    Set<String> cookies = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      Reply reply = portico.get("/", null);
      seen.merge(reply.instance(), 1, Integer::sum);
      cookies.add(reply.cookie());
      assertTrue(reply.setCookie().matches("INGRESSCOOKIE=[A-Za-z0-9_-]+; .*"), reply.setCookie());
    }
    assertEquals(3, seen.size(), seen.toString());
    if (mode == AffinityMode.PERSISTENT) {
      assertEquals(
          Map.of(
              instance(three().get(0)),
              20,
              instance(three().get(1)),
              20,
              instance(three().get(2)),
              20),
          seen,
          "persistent mode balances new sessions round robin");
      assertEquals(3, cookies.size(), "persistent cookies name the endpoint");
    } else {
      assertEquals(60, cookies.size(), "balanced cookies are one random key per session");
    }
  }

  @Test
  void theCookieCarriesEveryAttributeAsConfigured() throws Exception {
    Portico defaults = new Portico(table(CookieAffinity.defaults(), three()));
    String minimal = defaults.get("/shop/cart", null).setCookie();
    assertTrue(
        minimal.matches("INGRESSCOOKIE=[A-Za-z0-9_-]{23}; Path=/; HttpOnly"),
        "the rule path, HttpOnly, and no Secure over plain HTTP: " + minimal);

    Instant before = Instant.now().minusSeconds(1);
    Portico configured =
        new Portico(
            table(
                cookie(AffinityMode.PERSISTENT)
                    .name("route")
                    .path("/shop")
                    .maxAgeSeconds(3600)
                    .expiresSeconds(7200)
                    .sameSite(SameSite.STRICT)
                    .secure(true)
                    .domain(".sticky.test")
                    .build(),
                three()));
    String full = configured.get("/shop/cart", null).setCookie();
    Instant after = Instant.now().plusSeconds(1);
    String expires = full.replaceAll(".*; Expires=([^;]+);.*", "$1");
    Instant expiry = ZonedDateTime.parse(expires, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    assertTrue(
        !expiry.isBefore(before.plusSeconds(7200)) && !expiry.isAfter(after.plusSeconds(7200)),
        expires);
    assertTrue(
        expires.matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"),
        expires);
    assertEquals(
        "route=; Path=/shop; Domain=.sticky.test; Max-Age=3600; Expires="
            + expires
            + "; Secure; HttpOnly; SameSite=Strict",
        full.replaceFirst("route=[A-Za-z0-9_-]{24};", "route=;"),
        "Secure because it was asked for, over plain HTTP");

    Portico sameSiteNone =
        new Portico(
            table(
                cookie(AffinityMode.BALANCED)
                    .sameSite(SameSite.NONE)
                    .conditionalSameSiteNone(true)
                    .build(),
                three()));
    String oldChrome =
        "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/62.0.3202.94 Safari/537.36";
    String currentFirefox =
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    assertTrue(
        sameSiteNone
            .get("/", null, currentFirefox)
            .setCookie()
            .endsWith("; HttpOnly; SameSite=None"));
    assertTrue(sameSiteNone.get("/", null, oldChrome).setCookie().endsWith("; HttpOnly"));
  }

  @Test
  void removingThePinnedEndpointRePinsWithANewCookie() throws Exception {
    CookieAffinity persistent = cookie(AffinityMode.PERSISTENT).build();
    Portico portico = new Portico(table(persistent, three()));
    Reply pinned = portico.get("/", null);
    List<Endpoint> remaining = new ArrayList<>(three());
    remaining.removeIf(e -> instance(e).equals(pinned.instance()));
    portico.config.publish(table(persistent, remaining));

    Reply moved = portico.get("/", pinned.cookie());
    assertNotEquals(pinned.instance(), moved.instance());
    assertNotNull(moved.setCookie(), "a stale persistent cookie is replaced");
    assertNotEquals(pinned.cookie(), moved.cookie());
    for (int i = 0; i < 10; i++) {
      Reply next = portico.get("/", moved.cookie());
      assertEquals(moved.instance(), next.instance());
      assertNull(next.setCookie());
    }
  }

  @Test
  void balancedSessionsOfARemovedEndpointRehashWithoutANewCookie() throws Exception {
    CookieAffinity balanced = cookie(AffinityMode.BALANCED).build();
    Portico portico = new Portico(table(balanced, three()));
    Reply pinned = portico.get("/", null);
    List<Endpoint> remaining = new ArrayList<>(three());
    remaining.removeIf(e -> instance(e).equals(pinned.instance()));
    portico.config.publish(table(balanced, remaining));

    Reply moved = portico.get("/", pinned.cookie());
    assertNotEquals(pinned.instance(), moved.instance());
    assertNull(moved.setCookie(), "the session key stays valid: it hashes onto the rest");
    for (int i = 0; i < 10; i++) {
      assertEquals(moved.instance(), portico.get("/", pinned.cookie()).instance());
    }
  }

  @ParameterizedTest
  @EnumSource(AffinityMode.class)
  void junkAndForeignCookiesInTheHeaderAreIgnored(AffinityMode mode) throws Exception {
    Portico portico = new Portico(table(cookie(mode).build(), three()));
    String foreign = portico.get("/other", null).cookie();
    Reply valid = portico.get("/", null);

    for (String header :
        List.of(
            "INGRESSCOOKIE=junk",
            "INGRESSCOOKIE=",
            "INGRESSCOOKIE=" + "A".repeat(4000),
            foreign,
            "INGRESSCOOKIE=10.0.0.1:8080; " + foreign + "; theme=dark")) {
      Reply reply = portico.get("/", header);
      assertNotNull(reply.setCookie(), header + " must start a new session");
    }
    Reply mixed =
        portico.get("/", "theme=dark; INGRESSCOOKIE=junk; " + foreign + "; " + valid.cookie());
    assertEquals(valid.instance(), mixed.instance(), "the one valid value among junk wins");
    assertNull(mixed.setCookie());
  }

  @Test
  void balancedModeMovesOnlySomeSessionsWhenAFourthEndpointAppears() throws Exception {
    CookieAffinity balanced = cookie(AffinityMode.BALANCED).build();
    Portico portico = new Portico(table(balanced, three()));
    int sessions = 200;
    List<Reply> before = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      before.add(portico.get("/", null));
    }
    portico.config.publish(table(balanced, endpoints));
    String fourth = instance(endpoints.get(3));
    int moved = 0;
    for (Reply session : before) {
      Reply now = portico.get("/", session.cookie());
      assertNull(now.setCookie());
      if (!now.instance().equals(session.instance())) {
        moved++;
        assertEquals(fourth, now.instance(), "sessions only move to the new endpoint");
      }
    }
    // Rendezvous hashing moves each session with probability 1/4: 50 expected, standard
    // deviation 6. Rehashing modulo n would move 3/4 of them.
    assertTrue(moved > 0 && moved < sessions / 2, moved + " of " + sessions + " sessions moved");
  }

  @ParameterizedTest
  @EnumSource(AffinityMode.class)
  void aTerminatingEndpointKeepsItsStickyClientsAndGetsNoNewOnes(AffinityMode mode)
      throws Exception {
    BackendPolicy policy = BackendPolicy.of(LoadBalancing.ROUND_ROBIN, cookie(mode).build());
    Portico portico = new Portico(table(KEY, policy, three(), List.of()));
    Map<String, String> cookieByInstance = new HashMap<>();
    for (int i = 0; i < 200 && cookieByInstance.size() < 3; i++) {
      Reply reply = portico.get("/", null);
      cookieByInstance.putIfAbsent(reply.instance(), reply.cookie());
    }
    assertEquals(3, cookieByInstance.size());
    Endpoint terminating = three().get(1);
    portico.config.publish(
        table(KEY, policy, List.of(three().get(0), three().get(2)), List.of(terminating)));

    String pinnedThere = cookieByInstance.get(instance(terminating));
    for (int i = 0; i < 20; i++) {
      Reply reply = portico.get("/", pinnedThere);
      assertEquals(
          instance(terminating), reply.instance(), "a pinned client stays while it drains");
      assertNull(reply.setCookie());
    }
    for (int i = 0; i < 100; i++) {
      Reply fresh = portico.get("/", null);
      assertNotEquals(instance(terminating), fresh.instance(), "new session " + i);
      assertEquals(fresh.instance(), portico.get("/", fresh.cookie()).instance());
    }

    portico.config.publish(table(KEY, policy, List.of(three().get(0), three().get(2)), List.of()));
    assertNotEquals(
        instance(terminating), portico.get("/", pinnedThere).instance(), "gone for good");
  }

  @ParameterizedTest
  @EnumSource(AffinityMode.class)
  void twoInstancesWithTheSameKeyAgreeOnEveryCookie(AffinityMode mode) throws Exception {
    CookieAffinity affinity = cookie(mode).build();
    Portico one = new Portico(table(affinity, three()));
    Portico two = new Portico(table(affinity, three()));
    Portico otherKey =
        new Portico(
            table(
                AffinityKey.builtIn(),
                BackendPolicy.of(LoadBalancing.ROUND_ROBIN, affinity),
                three(),
                List.of()));
    Map<String, String> cookiesOfOne = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      Reply fromOne = one.get("/", null);
      Reply fromTwo = two.get("/", null);
      cookiesOfOne.put(fromOne.instance(), fromOne.cookie());
      assertEquals(fromOne.instance(), two.get("/", fromOne.cookie()).instance());
      assertEquals(fromTwo.instance(), one.get("/", fromTwo.cookie()).instance());
      assertNull(two.get("/", fromOne.cookie()).setCookie());
      assertNotNull(otherKey.get("/", fromOne.cookie()).setCookie(), "another key reads nothing");
      if (mode == AffinityMode.PERSISTENT) {
        assertEquals(
            cookiesOfOne.get(fromTwo.instance()), fromTwo.cookie(), "same endpoint, same value");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AffinityMode.class)
  void changeOnFailureRePinsAfterAConnectFailure(AffinityMode mode) throws Exception {
    Endpoint down;
    try (ServerSocket socket = new ServerSocket(0)) {
      down = new Endpoint("127.0.0.1", socket.getLocalPort(), "pod-down-uid:8080");
    }
    List<Endpoint> withDown = List.of(three().get(0), down, three().get(2));
    Portico changing = new Portico(table(cookie(mode).changeOnFailure(true).build(), withDown));
    Portico keeping = new Portico(table(cookie(mode).build(), withDown));

    for (Portico portico : List.of(changing, keeping)) {
      String pinnedToDown = cookieFor(portico.app1(), portico.app1().indexOf(down));
      Reply retried = portico.get("/", pinnedToDown);
      assertNotEquals(instance(down), retried.instance());
      if (portico == changing) {
        assertNotNull(retried.setCookie(), "re-pinned where the retry went");
        for (int i = 0; i < 10; i++) {
          Reply next = portico.get("/", retried.cookie());
          assertEquals(retried.instance(), next.instance());
          assertNull(next.setCookie());
        }
      } else {
        assertNull(retried.setCookie(), "without change-on-failure the cookie stays");
      }
    }
  }

  /** The cookie a client pinned to endpoint {@code index} holds, computed as Portico does. */
  private static String cookieFor(Upstream upstream, int index) {
    StickyIndex sticky = upstream.sticky();
    String name = sticky.affinity().name() + "=";
    if (sticky.affinity().mode() == AffinityMode.PERSISTENT) {
      return name + sticky.persistentValue(index);
    }
    SplittableRandom random = new SplittableRandom(1);
    while (true) {
      long session = random.nextLong();
      if (sticky.endpointOf(session) == index) {
        return name + sticky.balancedValue(session);
      }
    }
  }

  @Test
  void aBackendWithoutAffinitySetsNoCookie() throws Exception {
    Portico portico = new Portico(table(KEY, BackendPolicy.DEFAULT, three(), List.of()));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      Reply reply = portico.get("/", "INGRESSCOOKIE=anything");
      assertNull(reply.setCookie());
      seen.add(reply.instance());
    }
    assertEquals(3, seen.size());
    assertFalse(portico.app1().backend().policy().affinity().isPresent());
  }
}
