package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.address.CidrSet;
import io.portico.router.memcached.MemcachedCounters;
import io.portico.router.memcached.MemcachedServer;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.limit.GlobalRateLimit;
import io.portico.router.policy.limit.GlobalRateLimitPolicy;
import io.portico.router.policy.limit.GlobalRateLimitStats;
import io.portico.router.policy.limit.ThrottleDecisions;
import io.portico.router.policy.limit.ThrottleKey;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.testing.Await;
import io.portico.router.testing.LogCapture;
import io.portico.router.testing.MemcachedProcess;
import io.portico.router.testing.TestVertx;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Global rate limits through two real proxies (two replicas, each with its own routing table and
 * decisions) sharing one real memcached: the limit is one for both, it lifts when the window has
 * passed, and when memcached stops or does not answer the requests go through, counted as failing
 * open, as ingress-nginx's do.
 */
class GlobalRateLimitIntegrationTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final GlobalRateLimitStats stats = new GlobalRateLimitStats();
  private MemcachedProcess memcached;
  private int backendPort;

  @BeforeEach
  void start() throws Exception {
    memcached = MemcachedProcess.start();
    backendPort =
        await(
                vertx
                    .vertx()
                    .createHttpServer()
                    .requestHandler(request -> request.response().end("ok"))
                    .listen(0, "127.0.0.1"))
            .actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    memcached.stop();
  }

  /** One replica: its own table and its own decisions, the counts in {@code port}'s memcached. */
  private ProxyServer replica(GlobalRateLimit limit, int port, Duration timeout) throws Exception {
    MemcachedServer server =
        new MemcachedServer("127.0.0.1", port, timeout, Duration.ofSeconds(10), 4);
    GlobalRateLimitPolicy policy =
        new GlobalRateLimitPolicy(
            limit, new MemcachedCounters(server), new ThrottleDecisions(1000), stats);
    RouteTableBuilder table = RouteTable.builder();
    table.add(
        new Route(
            HostnamePattern.of("app.test"),
            PathMatch.prefix("/"),
            Backend.of(
                new BackendId("default", "svc", "80"),
                List.of(Endpoint.of("127.0.0.1", backendPort))),
            new RouteOrigin("default", "app"),
            HttpsPolicy.NONE,
            RoutePolicies.of(policy)));
    LiveConfig config = new LiveConfig();
    config.publish(table.build());
    return await(
        ProxyServer.start(
            vertx.vertx(), config, ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1)));
  }

  private static GlobalRateLimit limit(int requests, int windowSeconds) {
    return new GlobalRateLimit(
        "default/app",
        requests,
        windowSeconds,
        new ThrottleKey("$http_x_client"),
        CidrSet.EMPTY,
        429);
  }

  /** One request with {@code X-Client: client} on a connection of its own; the status. */
  private static int get(ProxyServer proxy, String client) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", proxy.httpPort()), 5000);
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: app.test\r\nX-Client: "
                      + client
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(answer.substring(9, 12));
    }
  }

  @Test
  void twoReplicasShareOneLimit() throws Exception {
    // A long window, so that the test never straddles two of them by much.
    ProxyServer a = replica(limit(4, 600), memcached.port(), Duration.ofSeconds(2));
    ProxyServer b = replica(limit(4, 600), memcached.port(), Duration.ofSeconds(2));
    assertEquals(200, get(a, "one"));
    assertEquals(200, get(b, "one"));
    assertEquals(200, get(a, "one"));
    assertEquals(200, get(b, "one"));
    assertEquals(429, get(a, "one"), "the fifth request, whichever replica it reaches");
    assertEquals(429, get(b, "one"));
    assertEquals(200, get(b, "two"), "another key has its own count");
    assertEquals(2, stats.limited());
    assertEquals(0, stats.failedOpen());
  }

  @Test
  void theLimitLiftsOnceTheWindowHasPassed() throws Exception {
    ProxyServer a = replica(limit(1, 1), memcached.port(), Duration.ofSeconds(2));
    ProxyServer b = replica(limit(1, 1), memcached.port(), Duration.ofSeconds(2));
    // Within one second, one request passes; within at most three, both replicas let one more in.
    Await.until("a request limited", Duration.ofSeconds(5), () -> get(a, "one") == 429);
    Await.until("a request let in again", Duration.ofSeconds(5), () -> get(b, "one") == 200);
  }

  @Test
  void memcachedStoppedMidTestFailsOpenCountedAndLogged() throws Exception {
    ProxyServer a = replica(limit(2, 600), memcached.port(), Duration.ofSeconds(2));
    assertEquals(200, get(a, "one"));
    assertEquals(200, get(a, "one"));
    assertEquals(429, get(a, "one"));
    memcached.stop();
    try (LogCapture log = new LogCapture()) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, get(a, "two"), "request " + i + " with memcached gone");
      }
      // A key this replica already knows to be over stays so until its wait ends, as in nginx.
      assertEquals(429, get(a, "one"));
      assertEquals(3, stats.failedOpen());
      assertTrue(
          log.text().contains("event=global_rate_limit_failed ingress=default/app"), log.text());
    }
  }

  @Test
  void memcachedThatDoesNotAnswerInTimeFailsOpen() throws Exception {
    int silent =
        await(vertx.vertx().createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1"))
            .actualPort();
    ProxyServer a = replica(limit(1, 600), silent, Duration.ofMillis(100));
    assertEquals(200, get(a, "one"));
    assertEquals(200, get(a, "one"));
    assertEquals(2, stats.failedOpen());
  }

  /** {@code GET /} with {@code X-Client: client} on the client's kept-alive connections. */
  private int getKeptAlive(ProxyServer proxy, String client) throws Exception {
    return await(
        vertx
            .httpClient()
            .request(HttpMethod.GET, proxy.httpPort(), "127.0.0.1", "/")
            .compose(
                request ->
                    request
                        .putHeader("Host", "app.test")
                        .putHeader("X-Client", client)
                        .send()
                        .compose(response -> response.body().map(body -> response.statusCode()))));
  }

  /** memcached's own count of the connections it has accepted. */
  private int memcachedConnections() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", memcached.port()), 5000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("stats\r\nquit\r\n".getBytes(StandardCharsets.US_ASCII));
      String stats = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      Matcher total = Pattern.compile("STAT total_connections (\\d+)").matcher(stats);
      assertTrue(total.find(), stats);
      // This connection counts too.
      return Integer.parseInt(total.group(1)) - 1;
    }
  }

  @Test
  void anEventLoopKeepsItsConnectionsAcrossRequests() throws Exception {
    ProxyServer a = replica(limit(1000, 600), memcached.port(), Duration.ofSeconds(2));
    int before = memcachedConnections();
    for (int i = 0; i < 20; i++) {
      assertEquals(200, get(a, "client-" + i));
    }
    int opened = memcachedConnections() - before;
    assertTrue(opened >= 1 && opened <= 4, "connections opened for 20 requests: " + opened);
  }

  @Test
  void failingOpenOnAKeptAliveConnectionStillAnswers() throws Exception {
    int silent =
        await(vertx.vertx().createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1"))
            .actualPort();
    ProxyServer a = replica(limit(1, 600), silent, Duration.ofMillis(50));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, getKeptAlive(a, "one"), "request " + i);
    }
    assertEquals(3, stats.failedOpen());
  }
}
