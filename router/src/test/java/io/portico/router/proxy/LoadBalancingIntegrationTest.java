package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.balance.BackendPolicy;
import io.portico.router.balance.LoadBalancing;
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
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.SocketAddress;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The load-balancing policies through the real server to real local backends. */
class LoadBalancingIntegrationTest {

  private static final String HOST = "lb.test";

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final List<EchoBackend> backends = new ArrayList<>();
  private final List<Endpoint> endpoints = new ArrayList<>();
  private Endpoint closed;
  private final LiveConfig config = new LiveConfig();

  @BeforeEach
  void startBackends() throws Exception {
    for (int i = 0; i < 3; i++) {
      EchoBackend backend = await(EchoBackend.start(vertx.vertx(), "app1", "127.0.0.1", 0));
      backends.add(backend);
      endpoints.add(Endpoint.of("127.0.0.1", backend.port()));
    }
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = Endpoint.of("127.0.0.1", socket.getLocalPort());
    }
  }

  private void publish(LoadBalancing policy) {
    RouteTableBuilder table = RouteTable.builder();
    route(table, "/", "app1-svc", policy, endpoints);
    route(table, "/half-down", "half-svc", policy, List.of(closed, endpoints.get(0)));
    route(table, "/down", "down-svc", policy, List.of(closed));
    config.publish(table.build());
  }

  private static void route(
      RouteTableBuilder table,
      String path,
      String service,
      LoadBalancing policy,
      List<Endpoint> endpoints) {
    table.add(
        new Route(
            HostnamePattern.of(HOST),
            PathMatch.prefix(path),
            new Backend(
                new BackendId("default", service, "80"),
                endpoints,
                List.of(),
                BackendPolicy.of(policy)),
            new RouteOrigin("default", "lb")));
  }

  private ProxyServer proxy(Duration readTimeout) throws Exception {
    return await(
        ProxyServer.start(
            vertx.vertx(),
            config,
            ProxySettings.defaults("127.0.0.1", 0)
                .withEventLoops(2)
                .withTimeouts(Duration.ofSeconds(2), readTimeout, Duration.ofSeconds(30))
                // The HTTP/2 exchange below comes with prior knowledge on the plain port.
                .withH2cPriorKnowledge(true)));
  }

  private Upstream upstream(String path) {
    return config.current().routes().match(HOST, path).upstream();
  }

  private int inFlight(String path) {
    Upstream upstream = upstream(path);
    int total = 0;
    for (int i = 0; i < upstream.backend().endpoints().size(); i++) {
      int count = upstream.inFlight(upstream.endpoint(i));
      assertTrue(count >= 0, "a negative in-flight count: an exchange ended twice");
      total += count;
    }
    return total;
  }

  /** Waits for a condition the event loops reach on their own (a closed client connection). */
  /** In-flight counts drop on the server once a response has ended, so tests wait for them. */
  private static void until(String what, Callable<Boolean> condition) throws Exception {
    Await.until(what, Duration.ofSeconds(10), condition);
  }

  @Test
  void leastRequestPrefersAnIdleEndpointOverABusyOne() throws Exception {
    publish(LoadBalancing.LEAST_REQUEST);
    ProxyServer proxy = proxy(Duration.ofSeconds(120));
    HttpClient async = vertx.httpClient();
    // One request the backend holds: whichever endpoint it lands on is busy from then on.
    async
        .request(
            new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(proxy.httpPort(), "127.0.0.1"))
                .setHost(HOST)
                .setURI("/held?delay=600000"))
        .compose(request -> request.send());
    until("the held request to be placed", () -> inFlight("/") == 1);
    int busy = -1;
    for (int i = 0; i < 3; i++) {
      if (upstream("/").inFlight(endpoints.get(i)) == 1) {
        busy = i;
      }
    }
    until("the held request to reach its backend", () -> total(backends) == 1);

    HttpProbe client = new HttpProbe(vertx.vertx(), proxy.httpPort());
    for (int i = 0; i < 60; i++) {
      assertEquals(200, client.get(HOST, "/quick/" + i).status());
    }
    assertEquals(1, backends.get(busy).requests(), "the busy endpoint got no new request");
    for (int i = 0; i < 3; i++) {
      if (i != busy) {
        assertTrue(backends.get(i).requests() > 0, "idle endpoint " + i + " was used");
      }
    }
    assertEquals(61, total(backends));
  }

  @Test
  void roundRobinWouldHaveSentTheBusyEndpointItsShare() throws Exception {
    publish(LoadBalancing.ROUND_ROBIN);
    ProxyServer proxy = proxy(Duration.ofSeconds(120));
    HttpProbe client = new HttpProbe(vertx.vertx(), proxy.httpPort());
    for (int i = 0; i < 60; i++) {
      client.get(HOST, "/quick/" + i);
    }
    for (EchoBackend backend : backends) {
      assertEquals(20, backend.requests());
    }
  }

  @Test
  void randomReachesEveryEndpoint() throws Exception {
    publish(LoadBalancing.RANDOM);
    ProxyServer proxy = proxy(Duration.ofSeconds(10));
    HttpProbe client = new HttpProbe(vertx.vertx(), proxy.httpPort());
    for (int i = 0; i < 90; i++) {
      assertEquals(200, client.get(HOST, "/r/" + i).status());
    }
    for (EchoBackend backend : backends) {
      assertTrue(backend.requests() > 0, "an endpoint was never drawn");
    }
  }

  private static long total(List<EchoBackend> backends) {
    return backends.stream().mapToLong(EchoBackend::requests).sum();
  }

  /** Every way an exchange ends takes its request off the in-flight count, exactly once. */
  @Test
  void inFlightCountsReturnToZeroHoweverTheExchangeEnds() throws Exception {
    publish(LoadBalancing.LEAST_REQUEST);
    ProxyServer proxy = proxy(Duration.ofMillis(700));
    HttpProbe client = new HttpProbe(vertx.vertx(), proxy.httpPort());

    assertEquals(200, client.get(HOST, "/ok").status());
    until("the ended exchange to stop counting", () -> inFlight("/") == 0);
    assertEquals(500, client.get(HOST, "/error?status=500").status());
    until("the failed exchange to stop counting", () -> inFlight("/") == 0);
    HttpProbe.Answer posted =
        client.send(
            HttpMethod.POST,
            HOST,
            "/upload",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(new byte[256 * 1024]));
    assertEquals(200, posted.status());
    until("the upload to stop counting", () -> inFlight("/") == 0);

    assertEquals(200, client.get(HOST, "/half-down/retried").status());
    until("the retried exchange to end", () -> inFlight("/half-down") == 0);
    assertEquals(502, client.get(HOST, "/down/refused").status());
    until("the failed exchange to end", () -> inFlight("/down") == 0);
    assertEquals(504, client.get(HOST, "/slow?delay=5000").status());
    until("the timed-out exchange to end", () -> inFlight("/") == 0);

    HttpProbe h2 =
        new HttpProbe(
            vertx.vertx(),
            proxy.httpPort(),
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    assertEquals(200, h2.get(HOST, "/h2").status());
    until("the HTTP/2 exchange to end", () -> inFlight("/") == 0);

    abortMidResponse(proxy.httpPort());
    until("the aborted download to end", () -> inFlight("/") == 0);
    abortBeforeResponse(proxy.httpPort());
    until("the abandoned request to end", () -> inFlight("/") == 0);

    CompletableFuture<String> echoed = new CompletableFuture<>();
    WebSocketConnectOptions options = new WebSocketConnectOptions();
    options.setHost("127.0.0.1").setPort(proxy.httpPort()).setURI("/ws");
    options.putHeader("host", HOST);
    WebSocket socket = await(vertx.webSocketClient().connect(options));
    socket.textMessageHandler(echoed::complete);
    socket.writeTextMessage("still counted?");
    assertEquals("still counted?", echoed.get(10, TimeUnit.SECONDS));
    until("the upgraded exchange to stop counting", () -> inFlight("/") == 0);
    await(socket.close());

    assertEquals(200, client.get(HOST, "/after").status());
    until("the request after the tunnel to stop counting", () -> inFlight("/") == 0);
  }

  /** Reads the start of a 64 MiB answer, then hangs up. */
  private static void abortMidResponse(int port) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /big?size=67108864 HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] start = new byte[4096];
      int read = 0;
      while (read < start.length) {
        int n = in.read(start, read, start.length - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      assertTrue(new String(start, 0, 12, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"));
    }
  }

  /** Sends a request the backend answers late, and hangs up before it does. */
  private void abortBeforeResponse(int port) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /late?delay=400 HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      until("the late request to be placed", () -> inFlight("/") == 1);
    }
  }
}
