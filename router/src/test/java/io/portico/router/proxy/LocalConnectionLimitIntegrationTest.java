package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.address.CidrSet;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.limit.ClientConnectionLimit;
import io.portico.router.policy.limit.ClientConnections;
import io.portico.router.policy.limit.LocalConnectionLimitPolicy;
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
import io.portico.router.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code limit-connections} through a real proxy and a backend that holds requests until the test
 * lets them go (never a sleep), with clients on distinct loopback addresses (every 127.x.y.z is the
 * local host on Linux): a second request in flight from one address is refused while the first is
 * held, and passes once it ended; other addresses and the allowlist are not limited; the count
 * returns to zero however an exchange ends, and the state holds only addresses with a request in
 * flight.
 */
class LocalConnectionLimitIntegrationTest {

  private static final String ZONE = "default/app";

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  // The responses the backend holds, in arrival order, until the test ends them.
  private final BlockingQueue<HttpServerResponse> held = new LinkedBlockingQueue<>();
  private final List<Socket> sockets = new ArrayList<>();
  private int backendPort;

  @BeforeEach
  void startBackend() throws Exception {
    backendPort =
        await(
                vertx
                    .vertx()
                    .createHttpServer()
                    .requestHandler(
                        request -> {
                          switch (request.path()) {
                            case "/hold" -> held.add(request.response());
                            case "/reset" -> request.connection().close();
                            case "/ws" ->
                                request
                                    .toWebSocket()
                                    .onSuccess(
                                        socket ->
                                            socket.textMessageHandler(socket::writeTextMessage));
                            default -> request.response().end("ok");
                          }
                        })
                    .listen(0, "127.0.0.1"))
            .actualPort();
  }

  @AfterEach
  void closeSockets() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  private ProxyServer proxy(LocalConnectionLimitPolicy policy, Duration readTimeout)
      throws Exception {
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
    // Two event loops: the connections of one address land on both, and share one count.
    return await(
        ProxyServer.start(
            vertx.vertx(),
            config,
            ProxySettings.defaults("127.0.0.1", 0)
                .withEventLoops(2)
                .withTimeouts(Duration.ofSeconds(2), readTimeout, Duration.ofSeconds(30))
                .withH2cPriorKnowledge(true)));
  }

  private ProxyServer proxy(LocalConnectionLimitPolicy policy) throws Exception {
    return proxy(policy, Duration.ofSeconds(60));
  }

  private static LocalConnectionLimitPolicy limit(
      int perClient, CidrSet allowlist, ClientConnections connections) {
    return new LocalConnectionLimitPolicy(
        new ClientConnectionLimit(ZONE, perClient, allowlist, 503), connections);
  }

  /** Sends {@code GET uri} from {@code from} on a connection of its own; read it with status(). */
  private Socket send(ProxyServer proxy, String from, String uri) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", proxy.httpPort()), 5000);
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            ("GET " + uri + " HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** The status of the response on {@code socket}, read to its end. */
  private static int status(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    assertTrue(answer.startsWith("HTTP/1.1 "), "a response: " + answer);
    return Integer.parseInt(answer.substring(9, 12));
  }

  private int get(ProxyServer proxy, String from, String uri) throws IOException {
    return status(send(proxy, from, uri));
  }

  /** Waits until the backend holds {@code count} responses. */
  private void awaitHeld(int count) throws Exception {
    until(count + " held requests at the backend", () -> held.size() == count);
  }

  private void releaseHeld() {
    HttpServerResponse response;
    while ((response = held.poll()) != null) {
      response.end("released");
    }
  }

  private static void until(String what, Callable<Boolean> condition) throws Exception {
    Await.until(what, Duration.ofSeconds(10), condition);
  }

  @Test
  void aSecondRequestInFlightIsRefusedUntilTheFirstEnds() throws Exception {
    ClientConnections connections = new ClientConnections(1000);
    ProxyServer proxy = proxy(limit(1, CidrSet.EMPTY, connections));

    Socket first = send(proxy, "127.0.0.2", "/hold");
    awaitHeld(1);
    assertEquals(1, connections.inFlight(ZONE, "127.0.0.2"));
    assertEquals(503, get(proxy, "127.0.0.2", "/ok"), "a second request while the first is held");
    assertEquals(1, connections.inFlight(ZONE, "127.0.0.2"), "a refused request is not counted");
    assertEquals(200, get(proxy, "127.0.0.3", "/ok"), "another address is not limited");

    releaseHeld();
    assertEquals(200, status(first));
    until("the first request to stop counting", () -> connections.size() == 0);
    assertEquals(200, get(proxy, "127.0.0.2", "/ok"), "after the first ended");
  }

  @Test
  void theLimitCountsRequestsInFlightUpToItsValue() throws Exception {
    ClientConnections connections = new ClientConnections(1000);
    ProxyServer proxy = proxy(limit(2, CidrSet.EMPTY, connections));

    Socket first = send(proxy, "127.0.1.2", "/hold");
    Socket second = send(proxy, "127.0.1.2", "/hold");
    awaitHeld(2);
    assertEquals(503, get(proxy, "127.0.1.2", "/ok"));
    releaseHeld();
    assertEquals(200, status(first));
    assertEquals(200, status(second));
    until("both to stop counting", () -> connections.size() == 0);
  }

  @Test
  void theAllowlistIsNeitherLimitedNorCounted() throws Exception {
    ClientConnections connections = new ClientConnections(1000);
    ProxyServer proxy = proxy(limit(1, CidrSet.parse(List.of("127.0.4.0/24")), connections));

    Socket first = send(proxy, "127.0.4.9", "/hold");
    awaitHeld(1);
    assertEquals(200, get(proxy, "127.0.4.9", "/ok"));
    assertEquals(0, connections.size());
    releaseHeld();
    assertEquals(200, status(first));
  }

  /** Every way an exchange ends takes its request off the count, exactly once. */
  @Test
  void theCountReturnsToZeroHoweverTheExchangeEnds() throws Exception {
    ClientConnections connections = new ClientConnections(1000);
    ProxyServer proxy = proxy(limit(1, CidrSet.EMPTY, connections));
    // The HTTP/2 client below connects from 127.0.0.1.
    String from = "127.0.0.1";

    assertEquals(200, get(proxy, from, "/ok"));
    until("the answered request to stop counting", () -> connections.size() == 0);

    assertEquals(502, get(proxy, from, "/reset"), "the backend closed without an answer");
    until("the failed request to stop counting", () -> connections.size() == 0);

    // The client leaves while the backend holds its request.
    Socket gone = send(proxy, from, "/hold");
    awaitHeld(1);
    assertEquals(1, connections.inFlight(ZONE, from));
    gone.close();
    until("the abandoned request to stop counting", () -> connections.size() == 0);
    releaseHeld();

    // Two streams of one HTTP/2 connection are two requests in flight.
    HttpClient h2 =
        vertx
            .vertx()
            .createHttpClient(
                new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
    Future<Integer> stream = h2Get(h2, proxy, "/hold");
    awaitHeld(1);
    assertEquals(503, await(h2Get(h2, proxy, "/ok")), "a second stream while the first is held");
    releaseHeld();
    assertEquals(200, await(stream));
    until("the HTTP/2 stream to stop counting", () -> connections.size() == 0);
    assertEquals(200, await(h2Get(h2, proxy, "/ok")));
    until("the last stream to stop counting", () -> connections.size() == 0);
    await(h2.close());

    assertEquals(0, connections.size());
  }

  private static Future<Integer> h2Get(HttpClient client, ProxyServer proxy, String uri) {
    return client
        .request(
            new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(proxy.httpPort(), "127.0.0.1"))
                .setHost("app.test")
                .setURI(uri))
        .compose(request -> request.send())
        // The status only: Portico resets the stream of an answer it gives before the request's
        // end arrived (RST_STREAM NO_ERROR), and Vert.x's client then fails the body.
        .map(response -> response.statusCode());
  }

  @Test
  void aTimedOutRequestStopsCounting() throws Exception {
    ClientConnections connections = new ClientConnections(1000);
    ProxyServer proxy = proxy(limit(1, CidrSet.EMPTY, connections), Duration.ofMillis(300));

    // The backend holds the request past the read timeout: 504, once per endpoint tried.
    assertEquals(504, get(proxy, "127.0.7.1", "/hold"));
    until("the timed-out request to stop counting", () -> connections.size() == 0);
    releaseHeld();
    assertEquals(200, get(proxy, "127.0.7.1", "/ok"));
  }

  @Test
  void aWebSocketCountsWhileItsTunnelIsOpen() throws Exception {
    ClientConnections connections = new ClientConnections(1000);
    ProxyServer proxy = proxy(limit(1, CidrSet.EMPTY, connections));
    // The WebSocket client connects from 127.0.0.1.
    String from = "127.0.0.1";

    WebSocketClient client = vertx.webSocketClient();
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(proxy.httpPort())
            .setURI("/ws")
            .putHeader("host", "app.test");
    WebSocket socket = await(client.connect(options));
    CompletableFuture<String> echoed = new CompletableFuture<>();
    socket.textMessageHandler(echoed::complete);
    socket.writeTextMessage("counted?");
    assertEquals("counted?", echoed.get(10, TimeUnit.SECONDS));
    assertEquals(1, connections.inFlight(ZONE, from), "an open tunnel counts");
    assertEquals(503, get(proxy, from, "/ok"));

    await(socket.close());
    until("the closed tunnel to stop counting", () -> connections.size() == 0);
    assertEquals(200, get(proxy, from, "/ok"));
  }

  @Test
  void manyDistinctAddressesLeaveNoStateBehind() throws Exception {
    ClientConnections connections = new ClientConnections(1000);
    ProxyServer proxy = proxy(limit(1, CidrSet.EMPTY, connections));
    for (int i = 0; i < 1500; i++) {
      String address = "127.9." + (i / 250) + "." + (1 + i % 250);
      assertEquals(200, get(proxy, address, "/ok"), address);
    }
    until("every count to be removed", () -> connections.size() == 0);

    List<Socket> holding = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      holding.add(send(proxy, "127.10.0." + (1 + i), "/hold"));
    }
    awaitHeld(50);
    assertEquals(50, connections.size(), "one count per address with a request in flight");
    releaseHeld();
    for (Socket socket : holding) {
      assertEquals(200, status(socket));
    }
    until("every count to be removed", () -> connections.size() == 0);
  }

  @Test
  void pastItsBoundANewAddressIsRefused() throws Exception {
    ClientConnections connections = new ClientConnections(2);
    ProxyServer proxy = proxy(limit(5, CidrSet.EMPTY, connections));

    Socket first = send(proxy, "127.0.11.1", "/hold");
    Socket second = send(proxy, "127.0.11.2", "/hold");
    awaitHeld(2);
    assertEquals(503, get(proxy, "127.0.11.3", "/ok"), "no room for a third address");
    assertEquals(200, get(proxy, "127.0.11.1", "/ok"), "a counted address still has room");
    releaseHeld();
    assertEquals(200, status(first));
    assertEquals(200, status(second));
    until("both to stop counting", () -> connections.size() == 0);
    assertEquals(200, get(proxy, "127.0.11.3", "/ok"));
  }
}
