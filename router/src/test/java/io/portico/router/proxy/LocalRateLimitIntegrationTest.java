package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.address.CidrSet;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.limit.ClientBuckets;
import io.portico.router.policy.limit.LocalRateLimitPolicy;
import io.portico.router.policy.limit.RateLimit;
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
import io.portico.router.testing.TestVertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Local rate limits through a real proxy and backend, with clients on distinct loopback addresses
 * (every 127.x.y.z is the local host on Linux): each address has its own bucket, the allowlist is
 * never limited, and the state stays within its bound however many addresses come.
 */
class LocalRateLimitIntegrationTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private int backendPort;

  @BeforeEach
  void start() throws Exception {
    backendPort =
        await(
                vertx
                    .vertx()
                    .createHttpServer()
                    .requestHandler(request -> request.response().end("ok"))
                    .listen(0, "127.0.0.1"))
            .actualPort();
  }

  private ProxyServer proxy(LocalRateLimitPolicy policy) throws Exception {
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
    config.publish(table.build());
    return await(
        ProxyServer.start(
            vertx.vertx(), config, ProxySettings.defaults("0.0.0.0", 0).withEventLoops(1)));
  }

  /** One request from {@code from} on a connection of its own; the status. */
  private static int get(ProxyServer proxy, String from) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", proxy.httpPort()), 5000);
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "GET / HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(answer.substring(9, 12));
    }
  }

  @Test
  void eachAddressGetsItsBurstThenTheLimitsStatus() throws Exception {
    // One a minute and a burst of 2: three requests pass, the fourth does not for a minute.
    RateLimit limit = new RateLimit("default/app", 0, 1, 2, CidrSet.EMPTY, 429);
    ProxyServer proxy =
        proxy(new LocalRateLimitPolicy(limit, new ClientBuckets(1000, Duration.ofMinutes(2))));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, get(proxy, "127.0.0.2"), "request " + i);
    }
    assertEquals(429, get(proxy, "127.0.0.2"));
    assertEquals(200, get(proxy, "127.0.0.3"), "another address has its own bucket");
  }

  @Test
  void theAllowlistIsNeverLimited() throws Exception {
    RateLimit limit =
        new RateLimit("default/app", 0, 1, 1, CidrSet.parse(List.of("127.0.4.0/24")), 503);
    ProxyServer proxy =
        proxy(new LocalRateLimitPolicy(limit, new ClientBuckets(1000, Duration.ofMinutes(2))));
    for (int i = 0; i < 5; i++) {
      assertEquals(200, get(proxy, "127.0.4.9"), "request " + i);
    }
    // One a minute with a burst of one: two pass.
    assertEquals(200, get(proxy, "127.0.5.9"));
    assertEquals(200, get(proxy, "127.0.5.9"));
    assertEquals(503, get(proxy, "127.0.5.9"));
  }

  @Test
  void manyDistinctAddressesKeepTheStateWithinItsBound() throws Exception {
    ClientBuckets buckets = new ClientBuckets(200, Duration.ofMinutes(2));
    RateLimit limit = new RateLimit("default/app", 10, 0, 5, CidrSet.EMPTY, 503);
    ProxyServer proxy = proxy(new LocalRateLimitPolicy(limit, buckets));
    for (int i = 0; i < 1500; i++) {
      String address = "127.9." + (i / 250) + "." + (1 + i % 250);
      assertEquals(200, get(proxy, address), address);
    }
    long kept = buckets.size();
    assertTrue(kept <= 200, "buckets kept: " + kept + " (expected: at most 200)");
  }
}
