package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.RoutingConfig;
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
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.RawBackend;
import io.portico.router.testing.RawHttp;
import io.portico.router.testing.TestVertx;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real requests through the real server to real local backends. */
class ProxyIntegrationTest {

  /**
   * Long enough for a cold JVM's first WebSocket handshake (both sides load their codecs), short
   * enough to keep the timeout tests quick.
   */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private EchoBackend app1;
  private EchoBackend app2;
  private int closedPort;
  private ProxyServer proxy;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    app1 = await(EchoBackend.start(vertx.vertx(), "app1", "127.0.0.1", 0));
    app2 = await(EchoBackend.start(vertx.vertx(), "app2", "127.0.0.1", 0));
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    config.publish(table());
    proxy = proxy(READ_TIMEOUT);
    client = new HttpProbe(vertx.vertx(), proxy.httpPort());
  }

  /** A proxy on two event loops serving {@link #config}, with this upstream read timeout. */
  private ProxyServer proxy(Duration readTimeout) throws Exception {
    ProxySettings settings =
        ProxySettings.defaults("127.0.0.1", 0)
            .withEventLoops(2)
            .withTimeouts(Duration.ofSeconds(2), readTimeout, Duration.ofSeconds(30));
    return await(ProxyServer.start(vertx.vertx(), config, settings));
  }

  private RouteTable table() {
    RouteTableBuilder table = RouteTable.builder();
    route(table, "/app1", "app1-svc", endpoint(app1));
    route(table, "/app2", "app2-svc", endpoint(app2));
    route(table, "/half-down", "half-svc", Endpoint.of("127.0.0.1", closedPort), endpoint(app2));
    route(table, "/down", "down-svc", Endpoint.of("127.0.0.1", closedPort));
    route(table, "/empty", "empty-svc");
    // An ExternalName Service's endpoint is a DNS name, not an address.
    route(table, "/by-name", "named-svc", Endpoint.of("localhost", app1.port()));
    return table.build();
  }

  private static void route(RouteTableBuilder table, String path, String svc, Endpoint... eps) {
    table.add(
        new Route(
            HostnamePattern.of("app.test"),
            PathMatch.prefix(path),
            Backend.of(new BackendId("default", svc, "80"), List.of(eps)),
            new RouteOrigin("default", "app")));
  }

  private static Endpoint endpoint(EchoBackend backend) {
    return Endpoint.of("127.0.0.1", backend.port());
  }

  @Test
  void routesByHostAndPathAndKeepsTheRequestAsSent() throws Exception {
    HttpProbe.Answer answer = client.get("app.test", "/app1/x%20y/../z;v=1?q=1&r=%20");
    assertEquals(200, answer.status());
    JsonObject seen = answer.json();
    assertEquals("app1", seen.getString("backend"));
    assertEquals("GET", seen.getString("method"));
    assertEquals("/app1/x%20y/../z;v=1?q=1&r=%20", seen.getString("uri"));
    assertEquals("app.test", seen.getJsonObject("headers").getString("host"));
    assertEquals("app2", client.get("APP.test", "/app2").backend());
    assertEquals("portico", answer.headers().get("server"));
  }

  @Test
  void unknownHostOrPathIsPorticosOwn404() throws Exception {
    HttpProbe.Answer unknownHost = client.get("other.test", "/app1");
    assertEquals(404, unknownHost.status());
    assertTrue(unknownHost.text().contains("no rule matches"), unknownHost.text());
    assertEquals(404, client.get("app.test", "/app1-not").status());
    assertEquals(0, app1.requests());
  }

  @Test
  void setsForwardedHeadersAndDropsHopByHopOnes() throws Exception {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("X-Forwarded-For", "203.0.113.7")
            .add("X-Real-IP", "203.0.113.8")
            .add("X-Forwarded-Proto", "https")
            .add("Connection", "keep-alive, X-Secret-Hop")
            .add("X-Secret-Hop", "must not pass")
            .add("Keep-Alive", "timeout=5")
            .add("Proxy-Authorization", "Basic c2VjcmV0")
            .add("X-Custom", "kept");
    JsonObject seen =
        client
            .send(HttpMethod.GET, "app.test", "/app1", headers, null)
            .json()
            .getJsonObject("headers");
    // The peer alone: what the client claims travels apart, for a backend that wants it.
    assertEquals("127.0.0.1", seen.getString("x-forwarded-for"));
    assertEquals("203.0.113.7", seen.getString("x-original-forwarded-for"));
    assertEquals("127.0.0.1", seen.getString("x-real-ip"));
    assertEquals("http", seen.getString("x-forwarded-proto"));
    assertEquals("app.test", seen.getString("x-forwarded-host"));
    assertEquals("80", seen.getString("x-forwarded-port"));
    assertEquals("kept", seen.getString("x-custom"));
    assertNull(seen.getString("x-secret-hop"));
    assertNull(seen.getString("keep-alive"));
    assertNull(seen.getString("proxy-authorization"));
  }

  @Test
  void hostWithPortAndUpperCaseIsMatchedAndForwardedAsSent() throws Exception {
    String answer =
        RawHttp.exchange(
            proxy.httpPort(),
            "GET /app2 HTTP/1.1\r\nHost: APP.Test:8080\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.contains("\"backend\" : \"app2\""), answer);
    assertTrue(answer.contains("\"host\" : \"APP.Test:8080\""), answer);
    assertTrue(answer.contains("\"x-forwarded-port\" : \"8080\""), answer);
  }

  @Test
  void streamsATenMebibyteUploadIntact() throws Exception {
    byte[] body = new byte[10 * 1024 * 1024];
    new Random(42).nextBytes(body);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));

    JsonObject seen =
        client
            .send(
                HttpMethod.POST,
                "app.test",
                "/app1/upload",
                MultiMap.caseInsensitiveMultiMap(),
                Buffer.buffer(body))
            .json();
    assertEquals(body.length, seen.getLong("bodyBytes"));
    assertEquals(sha256, seen.getString("bodySha256"));
    assertEquals(
        Integer.toString(body.length), seen.getJsonObject("headers").getString("content-length"));

    JsonObject chunked = chunkedUpload(body);
    assertEquals(body.length, chunked.getLong("bodyBytes"));
    assertEquals(sha256, chunked.getString("bodySha256"));
    assertEquals("chunked", chunked.getJsonObject("headers").getString("transfer-encoding"));
  }

  private JsonObject chunkedUpload(byte[] body) throws Exception {
    io.vertx.core.http.HttpClient raw = vertx.httpClient();
    return await(
        raw.request(
                new io.vertx.core.http.RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setServer(SocketAddress.inetSocketAddress(proxy.httpPort(), "127.0.0.1"))
                    .setHost("app.test")
                    .setPort(80)
                    .setURI("/app1/chunked"))
            .compose(
                request -> {
                  request.setChunked(true);
                  for (int offset = 0; offset < body.length; offset += 1 << 20) {
                    request.write(Buffer.buffer(body).slice(offset, offset + (1 << 20)));
                  }
                  request.end();
                  return request.response();
                })
            .compose(response -> response.body())
            .map(Buffer::toJsonObject));
  }

  @Test
  void anUploadSlowerThanTheReadTimeoutIsNotCutOff() throws Exception {
    io.vertx.core.http.HttpClient raw = vertx.httpClient();
    int chunks = 12;
    JsonObject seen =
        await(
            raw.request(
                    new io.vertx.core.http.RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setServer(SocketAddress.inetSocketAddress(proxy.httpPort(), "127.0.0.1"))
                        .setHost("app.test")
                        .setPort(80)
                        .setURI("/app1/slow-upload"))
                .compose(
                    request -> {
                      // One chunk every 250 ms: the upload lasts half again as long as the read
                      // timeout, during which the backend (rightly) says nothing.
                      request.setChunked(true);
                      AtomicInteger written = new AtomicInteger();
                      vertx
                          .vertx()
                          .setPeriodic(
                              250,
                              timer -> {
                                request.write(Buffer.buffer("chunk-" + written.get()));
                                if (written.incrementAndGet() == chunks) {
                                  vertx.vertx().cancelTimer(timer);
                                  request.end();
                                }
                              });
                      return request.response();
                    })
                .compose(response -> response.body())
                .map(Buffer::toJsonObject));
    assertEquals("app1", seen.getString("backend"));
    assertEquals(10 * "chunk-0".length() + 2 * "chunk-10".length(), seen.getLong("bodyBytes"));
  }

  @Test
  void keepsTheBackendsContentLengthOnALargeDownload() throws Exception {
    HttpProbe.Answer answer = client.get("app.test", "/app1/big?size=10485760");
    assertEquals(200, answer.status());
    assertEquals("10485760", answer.headers().get("content-length"));
    assertNull(answer.headers().get("transfer-encoding"));
    assertEquals(10485760, answer.body().length());
  }

  @Test
  void aWebSocketIsRecordedOnceWhenItsTunnelCloses() throws Exception {
    ConcurrentLinkedQueue<Integer> ended = new ConcurrentLinkedQueue<>();
    TrafficObserver observer =
        new TrafficObserver() {
          @Override
          public void requestEnded(RequestRecord record) {
            ended.add(record.status());
          }
        };
    ProxyServer observed =
        await(
            ProxyServer.start(
                vertx.vertx(),
                config,
                ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1),
                null,
                observer));
    WebSocketConnectOptions options = new WebSocketConnectOptions();
    options.setHost("127.0.0.1").setPort(observed.httpPort()).setURI("/app1/ws");
    options.putHeader("host", "app.test");
    WebSocket socket = await(vertx.webSocketClient().connect(options));
    CompletableFuture<String> echoed = new CompletableFuture<>();
    socket.textMessageHandler(echoed::complete);
    socket.writeTextMessage("logged");
    assertEquals("logged", echoed.get(10, TimeUnit.SECONDS));
    await(socket.close());
    // The access log and the metrics hear of it once, as 101, when the tunnel has closed.
    Await.until("the tunnel's record", Duration.ofSeconds(10), () -> !ended.isEmpty());
    assertEquals(List.of(101), List.copyOf(ended));
  }

  @Test
  void passesWebSocketsThrough() throws Exception {
    CompletableFuture<String> echoed = new CompletableFuture<>();
    WebSocketConnectOptions options = new WebSocketConnectOptions();
    options.setHost("127.0.0.1").setPort(proxy.httpPort()).setURI("/app1/ws");
    options.putHeader("host", "app.test");
    WebSocket socket = await(vertx.webSocketClient().connect(options));
    socket.textMessageHandler(echoed::complete);
    socket.writeTextMessage("hello through portico");
    assertEquals("hello through portico", echoed.get(10, TimeUnit.SECONDS));
    await(socket.close());
  }

  @Test
  void forwardsToAnEndpointGivenByName() throws Exception {
    for (int i = 0; i < 3; i++) {
      HttpProbe.Answer answer = client.get("app.test", "/by-name/" + i);
      assertEquals(200, answer.status(), answer.text());
      assertEquals("app1", answer.backend());
    }
  }

  @Test
  void retriesAFailedConnectionOnAnotherEndpoint() throws Exception {
    for (int i = 0; i < 4; i++) {
      HttpProbe.Answer answer = client.get("app.test", "/half-down/" + i);
      assertEquals(200, answer.status(), answer.text());
      assertEquals("app2", answer.backend());
    }
  }

  @Test
  void aBackendThatIsDownIsA502ThatNamesNoAddress() throws Exception {
    HttpProbe.Answer answer = client.get("app.test", "/down");
    assertEquals(502, answer.status());
    assertFalse(answer.text().contains("127.0.0.1"), answer.text());
    assertFalse(answer.text().contains(Integer.toString(closedPort)), answer.text());
  }

  @Test
  void aBackendWithoutEndpointsIs503() throws Exception {
    HttpProbe.Answer answer = client.get("app.test", "/empty");
    assertEquals(503, answer.status());
    assertTrue(answer.text().contains("no ready endpoints"), answer.text());
  }

  @Test
  void aSilentBackendIs504AfterTheReadTimeout() throws Exception {
    HttpProbe.Answer answer = client.get("app.test", "/app1/slow?delay=5000");
    assertEquals(504, answer.status());
    assertEquals(200, client.get("app.test", "/app1/after").status());
  }

  @Test
  void aSmugglingAttemptIs400AndNeverForwarded() throws Exception {
    String answer =
        RawHttp.exchange(
            proxy.httpPort(),
            "POST /app1 HTTP/1.1\r\nHost: app.test\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "GET /app1/smuggled HTTP/1.1\r\nHost: app.test\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertFalse(answer.contains("smuggled"), answer);
    assertEquals(0, app1.requests());
  }

  @Test
  void duplicateContentLengthsAre400AndNeverForwarded() throws Exception {
    String answer =
        RawHttp.exchange(
            proxy.httpPort(),
            "POST /app1 HTTP/1.1\r\nHost: app.test\r\nContent-Length: 4\r\n"
                + "Content-Length: 5\r\n\r\nabcde");
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertEquals(0, app1.requests());
  }

  @Test
  void oversizedHeadersAre431AndNeverForwarded() throws Exception {
    ProxySettings small =
        ProxySettings.defaults("127.0.0.1", 0).toBuilder()
            .eventLoops(1)
            .maxHeaderSize(16 * 1024)
            .build();
    ProxyServer bounded = await(ProxyServer.start(vertx.vertx(), config, small));
    String answer =
        RawHttp.exchange(
            bounded.httpPort(),
            "GET /app1 HTTP/1.1\r\nHost: app.test\r\nX-Big: " + "a".repeat(20 * 1024) + "\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
    assertEquals(0, app1.requests());
  }

  @Test
  void anInvalidPathIs400() throws Exception {
    String answer =
        RawHttp.exchange(
            proxy.httpPort(),
            "GET /app1/%zz HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertEquals(0, app1.requests());
  }

  @Test
  void aBackendThatDiesMidBodyClosesTheClientsConnectionInsteadOfEndingTheResponse()
      throws Exception {
    String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
    String sized = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello";
    RouteTableBuilder table = RouteTable.builder();
    route(table, "/chunked", "cut1-svc", Endpoint.of("127.0.0.1", dyingBackend(chunked)));
    route(table, "/sized", "cut2-svc", Endpoint.of("127.0.0.1", dyingBackend(sized)));
    config.publish(table.build());

    String first = readUntilClosed("/chunked");
    assertTrue(first.startsWith("HTTP/1.1 200"), first);
    assertTrue(first.contains("hello"), first);
    assertFalse(first.contains("\r\n0\r\n\r\n"), "a cut body must not look complete: " + first);
    String second = readUntilClosed("/sized");
    assertTrue(second.startsWith("HTTP/1.1 200"), second);
    assertTrue(
        second.endsWith("hello"), "5 of the 10 bytes, then the connection closes: " + second);
  }

  @Test
  void aKeepAliveConnectionTheBackendDroppedIsRetriedForAGetButNotForAPost() throws Exception {
    // Answers the first request of each connection, then closes it at the next one, as a backend
    // whose keep-alive timeout expired just as the proxy reused the connection.
    RawBackend backend =
        rawBackend(
            socket -> {
              AtomicInteger served = new AtomicInteger();
              socket.handler(
                  request -> {
                    if (served.getAndIncrement() == 0) {
                      socket.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
                    } else {
                      socket.close();
                    }
                  });
            });
    routeOnly("/stale", backend.port());

    assertEquals("ok", client.get("app.test", "/stale/1").text());
    // The pooled connection is closed before any response: a GET goes again on a new one.
    assertEquals("ok", client.get("app.test", "/stale/2").text());
    assertEquals(2, backend.connections().get());
    // A POST may have had effects: it is not sent twice.
    HttpProbe.Answer post =
        client.send(
            HttpMethod.POST, "app.test", "/stale/3", MultiMap.caseInsensitiveMultiMap(), null);
    assertEquals(502, post.status());
    assertEquals(2, backend.connections().get());
  }

  @Test
  void responsesWithoutABodyLeaveTheBackendConnectionInStep() throws Exception {
    // HEAD gets the Content-Length of the body it does not get; /empty gets 204.
    RawBackend backend =
        rawBackend(
            socket -> {
              socket.handler(
                  request -> {
                    String line = request.toString(StandardCharsets.ISO_8859_1);
                    String answer =
                        line.startsWith("HEAD")
                            ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                            : line.contains("/empty")
                                ? "HTTP/1.1 204 No Content\r\n\r\n"
                                : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
                    socket.write(Buffer.buffer(answer));
                  });
            });
    routeOnly("/nobody", backend.port());

    HttpProbe.Answer head =
        client.send(
            HttpMethod.HEAD, "app.test", "/nobody/a", MultiMap.caseInsensitiveMultiMap(), null);
    assertEquals(200, head.status());
    assertEquals("5", head.headers().get("content-length"));
    assertEquals(0, head.body().length());
    assertEquals(204, client.get("app.test", "/nobody/empty").status());
    HttpProbe.Answer get = client.get("app.test", "/nobody/b");
    assertEquals("hello", get.text());
    assertEquals(1, backend.connections().get());
  }

  @Test
  void requestsBeyondThePoolSizeWaitForAConnectionInsteadOfOpeningMore() throws Exception {
    // Answers every request a little later, so that the three requests overlap.
    RawBackend backend =
        rawBackend(
            socket -> {
              socket.handler(
                  request ->
                      vertx
                          .vertx()
                          .setTimer(
                              100,
                              id ->
                                  socket.write(
                                      Buffer.buffer(
                                          "HTTP/1.1 200 OK\r\n" + "Content-Length: 2\r\n\r\nok"))));
            });
    RouteTableBuilder table = RouteTable.builder();
    route(table, "/bounded", "bounded-svc", Endpoint.of("127.0.0.1", backend.port()));
    LiveConfig bounded = new LiveConfig();
    bounded.publish(table.build());
    ProxySettings onePerEndpoint =
        ProxySettings.defaults("127.0.0.1", 0).toBuilder()
            .eventLoops(1)
            .upstreamReadTimeout(READ_TIMEOUT)
            .upstreamPoolSize(1)
            .build();
    ProxyServer small = await(ProxyServer.start(vertx.vertx(), bounded, onePerEndpoint));
    io.vertx.core.http.HttpClient parallel =
        vertx.httpClient(new io.vertx.core.http.PoolOptions().setHttp1MaxSize(3));
    List<io.vertx.core.Future<Integer>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(
          parallel
              .request(
                  new io.vertx.core.http.RequestOptions()
                      .setServer(SocketAddress.inetSocketAddress(small.httpPort(), "127.0.0.1"))
                      .setHost("app.test")
                      .setURI("/bounded/" + i))
              .compose(request -> request.send())
              .compose(response -> response.body().map(body -> response.statusCode())));
    }
    for (io.vertx.core.Future<Integer> answer : answers) {
      assertEquals(200, await(answer));
    }
    assertEquals(1, backend.connections().get());
  }

  @Test
  void aClientThatLeavesClosesTheBackendConnectionOfItsRequest() throws Exception {
    CompletableFuture<Void> received = new CompletableFuture<>();
    CompletableFuture<Void> backendClosed = new CompletableFuture<>();
    // Never answers: only the client leaving can end the exchange.
    RawBackend backend =
        rawBackend(
            socket -> {
              socket.handler(request -> received.complete(null));
              socket.closeHandler(closed -> backendClosed.complete(null));
            });
    routeOnly("/hang", backend.port());
    // A read timeout far beyond the wait below: only the client leaving can close the backend's
    // connection in time, however slow the machine.
    ProxyServer patient = proxy(Duration.ofMinutes(5));

    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), patient.httpPort())) {
      socket
          .getOutputStream()
          .write(
              "GET /hang HTTP/1.1\r\nHost: app.test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      received.get(10, TimeUnit.SECONDS);
    }
    backendClosed.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aResponseBeforeTheWholeUploadIsRelayedAndItsConnectionNotReused() throws Exception {
    // Refuses an upload at its first bytes and reads no more of that connection, as a backend
    // that answered 413 early; answers a GET on a connection of its own. Not reading keeps the
    // body from ever going out whole (it is far larger than the sockets' buffers), so the 413 is
    // always a response before the end of the request.
    RawBackend backend =
        rawBackend(
            socket -> {
              AtomicInteger chunks = new AtomicInteger();
              socket.handler(
                  data -> {
                    if (chunks.getAndIncrement() > 0) {
                      return;
                    }
                    boolean upload = data.toString(StandardCharsets.ISO_8859_1).startsWith("POST");
                    if (upload) {
                      socket.pause();
                    }
                    socket.write(
                        Buffer.buffer(
                            upload
                                ? "HTTP/1.1 413 Payload Too Large\r\n" + "Content-Length: 0\r\n\r\n"
                                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
                  });
            });
    routeOnly("/early", backend.port());

    HttpProbe.Answer refused =
        client.send(
            HttpMethod.POST,
            "app.test",
            "/early/upload",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(new byte[32 * 1024 * 1024]));
    assertEquals(413, refused.status());
    // The connection stopped in the middle of a body: a GET on it would never be answered.
    assertEquals("ok", client.get("app.test", "/early/next").text());
    assertEquals(2, backend.connections().get());
  }

  private RawBackend rawBackend(Handler<NetSocket> onConnection) throws Exception {
    return RawBackend.start(vertx.vertx(), onConnection);
  }

  /** Routes {@code path} of app.test to 127.0.0.1:{@code port} alone. */
  private void routeOnly(String path, int port) {
    RouteTableBuilder table = RouteTable.builder();
    route(table, path, path.substring(1) + "-svc", Endpoint.of("127.0.0.1", port));
    config.publish(table.build());
  }

  /** A backend that sends {@code answer} to any request, then closes the connection. */
  private int dyingBackend(String answer) throws Exception {
    return rawBackend(socket -> socket.handler(request -> socket.end(Buffer.buffer(answer))))
        .port();
  }

  /** What the proxy sends for {@code path}; fails if it keeps the connection open for 10 s. */
  private String readUntilClosed(String path) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.httpPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: app.test\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aPublishedTableServesTheNextRequest() throws Exception {
    assertEquals("app1", client.get("app.test", "/app1").backend());
    long generation = config.current().generation();

    RouteTableBuilder swapped = RouteTable.builder();
    route(swapped, "/app1", "app2-svc", endpoint(app2));
    RoutingConfig next = config.publish(swapped.build());
    assertEquals(generation + 1, next.generation());
    assertEquals("app2", client.get("app.test", "/app1").backend());

    RouteTableBuilder same = RouteTable.builder();
    route(same, "/app1", "app2-svc", endpoint(app2));
    assertEquals(next, config.publish(same.build()), "an equal table is not a new generation");
  }

  @Test
  void http2PriorKnowledgeClientsAreServedWhenTheListenerOffersIt() throws Exception {
    ProxySettings settings =
        ProxySettings.defaults("127.0.0.1", 0)
            .withEventLoops(2)
            .withTimeouts(Duration.ofSeconds(2), READ_TIMEOUT, Duration.ofSeconds(30))
            .withH2cPriorKnowledge(true);
    ProxyServer h2c = await(ProxyServer.start(vertx.vertx(), config, settings));
    HttpProbe h2 =
        new HttpProbe(
            vertx.vertx(),
            h2c.httpPort(),
            new HttpClientOptions()
                .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    HttpProbe.Answer answer = h2.get("app.test", "/app1/h2");
    assertEquals(200, answer.status());
    assertEquals("app1", answer.backend());
    assertEquals("http/1.1", answer.json().getString("version"));
    assertNull(answer.json().getJsonObject("headers").getString("transfer-encoding"));
  }

  @Test
  void anHttp2GetAnsweredAtOnceIsAnsweredWholeAndNotReset() throws Exception {
    ProxySettings settings =
        ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1).withH2cPriorKnowledge(true);
    ProxyServer h2c = await(ProxyServer.start(vertx.vertx(), config, settings));
    HttpProbe h2 =
        new HttpProbe(
            vertx.vertx(),
            h2c.httpPort(),
            new HttpClientOptions()
                .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    // No rule: Portico answers 404 from the request handler, before the request's end arrives.
    for (int i = 0; i < 20; i++) {
      HttpProbe.Answer answer = h2.get("nothing.test", "/");
      assertEquals(404, answer.status());
      assertEquals(ProxyFailure.NO_ROUTE.body(), answer.body().toString());
    }
  }
}
