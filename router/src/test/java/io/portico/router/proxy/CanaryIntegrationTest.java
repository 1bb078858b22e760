package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.balance.BackendPolicy;
import io.portico.router.balance.CookieAffinity;
import io.portico.router.balance.LoadBalancing;
import io.portico.router.echo.EchoBackend;
import io.portico.router.policy.CanaryMatch;
import io.portico.router.policy.HeaderMatch;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Canaries;
import io.portico.router.route.Canary;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Canaries through the real server to real backends: which backend answers, by header, cookie,
 * weight and session, with exact counts.
 */
class CanaryIntegrationTest {

  private static final String HOST = "app.test";
  private static final RouteOrigin MAIN = new RouteOrigin("default", "app");

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private Endpoint main;
  private Endpoint canary;
  private Endpoint second;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    main = endpoint("main");
    canary = endpoint("canary");
    second = endpoint("second");
    ProxyServer proxy =
        await(
            ProxyServer.start(
                vertx.vertx(), config, ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2)));
    client = new HttpProbe(vertx.vertx(), proxy.httpPort());
  }

  private Endpoint endpoint(String name) throws Exception {
    EchoBackend backend = await(EchoBackend.start(vertx.vertx(), name, "127.0.0.1", 0));
    return Endpoint.of("127.0.0.1", backend.port());
  }

  private static Backend backend(String service, BackendPolicy policy, Endpoint... endpoints) {
    return new Backend(
        new BackendId("default", service, "80"), List.of(endpoints), List.of(), policy);
  }

  private static Canary canary(Backend backend, String ingress, CanaryMatch match) {
    return new Canary(backend, new RouteOrigin("default", ingress), match);
  }

  private static CanaryMatch match(HeaderMatch header, String cookie, int weight) {
    return new CanaryMatch(Optional.ofNullable(header), Optional.ofNullable(cookie), weight);
  }

  /** {@code app.test/info} on the main backend with these canaries. */
  private void serve(Backend mainBackend, Canaries canaries) {
    Route route =
        new Route(HostnamePattern.of(HOST), PathMatch.prefix("/info"), mainBackend, MAIN)
            .withCanaries(canaries);
    RouteTableBuilder table = RouteTable.builder();
    table.add(route);
    config.publish(table.build());
  }

  private HttpProbe.Answer get(String... headerPairs) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    HttpProbe.Answer answer = client.send(HttpMethod.GET, HOST, "/info", headers, null);
    assertEquals(200, answer.status(), answer.text());
    return answer;
  }

  private String backendOf(String... headerPairs) throws Exception {
    return get(headerPairs).backend();
  }

  private Map<String, Integer> count(int requests) throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      counts.merge(backendOf(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void byHeaderWithoutValueAlwaysAndNeverDecideAndOtherValuesFallThrough() throws Exception {
    serve(
        backend("main-svc", BackendPolicy.DEFAULT, main),
        new Canaries(
            List.of(
                canary(
                    backend("canary-svc", BackendPolicy.DEFAULT, canary),
                    "app-canary",
                    match(new HeaderMatch.AlwaysOrNever("CanaryByHeader"), "CanaryByCookie", 0))),
            100));
    assertEquals("main", backendOf());
    assertEquals("canary", backendOf("CanaryByHeader", "always"));
    assertEquals("main", backendOf("CanaryByHeader", "never"));
    assertEquals("main", backendOf("CanaryByHeader", "badheadervalue"));
    assertEquals("main", backendOf("CanaryByHeader", "never", "cookie", "CanaryByCookie=always"));
    assertEquals(
        "canary",
        backendOf("CanaryByHeader", "otherheadervalue", "cookie", "CanaryByCookie=always"));
    assertEquals("canary", backendOf("cookie", "CanaryByCookie=always"));
    assertEquals("main", backendOf("cookie", "CanaryByCookie=badcookievalue"));
  }

  @Test
  void weightsAreExactOverTheirTotalRoundAfterRound() throws Exception {
    serve(
        backend("main-svc", BackendPolicy.DEFAULT, main),
        new Canaries(
            List.of(
                canary(
                    backend("canary-svc", BackendPolicy.DEFAULT, canary),
                    "app-canary",
                    CanaryMatch.weight(10))),
            100));
    assertEquals(Map.of("canary", 10, "main", 90), count(100));
    assertEquals(Map.of("canary", 10, "main", 90), count(100));
  }

  @Test
  void severalCanariesEachTakeTheirShareAndTheirHeader() throws Exception {
    serve(
        backend("main-svc", BackendPolicy.DEFAULT, main),
        new Canaries(
            List.of(
                canary(
                    backend("canary-svc", BackendPolicy.DEFAULT, canary),
                    "app-canary",
                    match(new HeaderMatch.Value("x-version", "v2"), null, 5)),
                canary(
                    backend("second-svc", BackendPolicy.DEFAULT, second),
                    "app-second",
                    match(new HeaderMatch.Value("x-version", "v3"), null, 15))),
            100));
    assertEquals(Map.of("canary", 10, "main", 160, "second", 30), count(200));
    assertEquals("canary", backendOf("x-version", "v2"));
    assertEquals("second", backendOf("x-version", "v3"));
  }

  @Test
  void aCanaryWithoutEndpointsLeavesEveryRequestToTheMainBackend() throws Exception {
    serve(
        backend("main-svc", BackendPolicy.DEFAULT, main),
        new Canaries(
            List.of(
                canary(
                    backend("canary-svc", BackendPolicy.DEFAULT),
                    "app-canary",
                    match(new HeaderMatch.AlwaysOrNever("x-canary"), null, 100))),
            100));
    assertEquals("main", backendOf("x-canary", "always"));
    assertEquals(Map.of("main", 20), count(20));
  }

  @Test
  void stickyCanariesKeepTheSessionsTheyStartAndMainSessionsStayOnMain() throws Exception {
    BackendPolicy sticky =
        BackendPolicy.of(LoadBalancing.ROUND_ROBIN, CookieAffinity.builder().name("aff").build());
    serve(
        backend("main-svc", sticky, main),
        new Canaries(
            List.of(
                canary(
                    backend("canary-svc", sticky, canary),
                    "app-canary",
                    match(new HeaderMatch.AlwaysOrNever("CanaryByHeader"), null, 0))),
            100));
    HttpProbe.Answer forced = get("CanaryByHeader", "always");
    assertEquals("canary", forced.backend());
    String canaryCookie = cookie(forced);
    for (int i = 0; i < 10; i++) {
      HttpProbe.Answer next = get("cookie", canaryCookie);
      assertEquals("canary", next.backend(), "request " + i + " of the canary's session");
      assertNull(next.headers().get("set-cookie"));
    }
    String mainCookie = cookie(get());
    assertEquals(
        "main",
        backendOf("cookie", mainCookie, "CanaryByHeader", "always"),
        "a session on the main backend comes before the header, as in ingress-nginx");
  }

  @Test
  void legacyCanariesSetNoSessionAndLeaveUnpinnedRequestsToTheRules() throws Exception {
    BackendPolicy sticky =
        BackendPolicy.of(LoadBalancing.ROUND_ROBIN, CookieAffinity.builder().name("aff").build());
    serve(
        backend("main-svc", sticky, main),
        new Canaries(
            List.of(
                canary(
                    backend("canary-svc", BackendPolicy.DEFAULT, canary),
                    "app-canary",
                    match(new HeaderMatch.AlwaysOrNever("CanaryByHeader"), null, 50))),
            100));
    HttpProbe.Answer forced = get("CanaryByHeader", "always");
    assertEquals("canary", forced.backend());
    assertNull(forced.headers().get("set-cookie"), "a legacy canary sets no session cookie");
    Map<String, Integer> counts = count(100);
    assertEquals(Map.of("canary", 50, "main", 50), counts);
  }

  private static String cookie(HttpProbe.Answer answer) {
    String setCookie = answer.headers().get("set-cookie");
    assertNotNull(setCookie, "no Set-Cookie from " + answer.backend());
    assertTrue(setCookie.startsWith("aff="), setCookie);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }
}
