package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.testing.RawBackend;
import io.portico.router.testing.RawClient;
import io.portico.router.testing.ScriptedBackend;
import io.portico.router.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way an exchange ends gives its backend connection back or closes it. Each test runs with a
 * pool of one connection per endpoint, on one event loop, for both transports ({@code /pool}: the
 * event loop's own pool; {@code /client}: Vert.x's client, for an endpoint named by DNS): a
 * connection left checked out shows at once, as the next request to the endpoint never answered.
 */
class UpstreamExitsIntegrationTest {

  /** Bounds every exchange: a leaked connection makes the next request wait past it. */
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private final CompletableFuture<Void> hangReceived = new CompletableFuture<>();
  private ScriptedBackend backend;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    backend =
        ScriptedBackend.start(
            vertx.vertx(),
            (head, socket) -> {
              String path = head.path();
              if (head.has("upgrade")) {
                // A login wall in front of a WebSocket: keep-alive, and no 101.
                return "HTTP/1.1 401 Unauthorized\r\nContent-Length: 5\r\n\r\nlogin";
              }
              if (path.endsWith("/hang")) {
                hangReceived.complete(null);
                return null;
              }
              if (path.endsWith("/die")) {
                socket.end(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"));
                return null;
              }
              if (path.endsWith("/early")) {
                // Refuses an upload at its head, before its body: what a backend that checks
                // credentials first does.
                return "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n";
              }
              if (path.endsWith("/switch")) {
                return "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                    + "Upgrade: raw\r\n\r\nraw bytes that are not HTTP";
              }
              return ScriptedBackend.OK;
            });
    RouteTableBuilder table = RouteTable.builder();
    route(table, "/pool", "pool-svc", Endpoint.of("127.0.0.1", backend.port()));
    // A name, not an address: Vert.x's client carries it, as it does for ExternalName Services.
    route(table, "/client", "client-svc", Endpoint.of("localhost", backend.port()));
    config.publish(table.build());
    client = vertx.httpClient(new PoolOptions().setHttp1MaxSize(8));
  }

  private static void route(RouteTableBuilder table, String path, String svc, Endpoint endpoint) {
    table.add(
        new Route(
            HostnamePattern.of("app.test"),
            PathMatch.prefix(path),
            Backend.of(new BackendId("default", svc, "80"), List.of(endpoint)),
            new RouteOrigin("default", "app")));
  }

  /** One event loop, one connection per endpoint, a wait queue of {@code waitQueue}. */
  private ProxyServer proxy(Duration readTimeout, int waitQueue) throws Exception {
    ProxySettings settings =
        ProxySettings.defaults("127.0.0.1", 0)
            .withEventLoops(1)
            .withTimeouts(Duration.ofSeconds(1), readTimeout, Duration.ofSeconds(30))
            .withUpstreamPool(1, waitQueue);
    return await(ProxyServer.start(vertx.vertx(), config, settings));
  }

  private ProxyServer proxy() throws Exception {
    return proxy(Duration.ofSeconds(30), 16);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/pool", "/client"})
  void aRefusedWebSocketUpgradeGivesItsConnectionBack(String transport) throws Exception {
    ProxyServer proxy = proxy();
    for (int i = 0; i < 3; i++) {
      // A raw client: Vert.x's client, for a request with Upgrade headers, now and then hands over
      // an empty body for a refusal the proxy sent whole (its Content-Length and bytes arrive).
      try (RawClient raw = new RawClient(proxy.httpPort())) {
        raw.write(
            "GET "
                + transport
                + "/ws HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade\r\n"
                + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        String refused = raw.readResponse(ANSWER_WITHIN);
        assertTrue(refused.startsWith("HTTP/1.1 401 "), "upgrade " + i + ": " + refused);
        assertTrue(refused.endsWith("\r\n\r\nlogin"), "upgrade " + i + ": " + refused);
      }
    }
    assertEquals(200, send(proxy, HttpMethod.GET, transport + "/ok", null, null).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/pool", "/client"})
  void aClientThatWaitsFor100ContinueGetsItAndAnEarlyRefusalFreesTheConnection(String transport)
      throws Exception {
    ProxyServer proxy = proxy();
    for (int i = 0; i < 2; i++) {
      try (RawClient raw = new RawClient(proxy.httpPort())) {
        raw.write(
            "POST "
                + transport
                + "/early HTTP/1.1\r\nHost: app.test\r\nExpect: 100-continue\r\n"
                + "Content-Length: 5\r\n\r\n");
        // Nothing is sent until the 100 comes: a client without a timeout of its own would hang.
        String interim = raw.readUntil("\r\n\r\n", ANSWER_WITHIN);
        assertTrue(interim.startsWith("HTTP/1.1 100 Continue"), interim);
        raw.write("hello");
        String answer = raw.readUntil("401", ANSWER_WITHIN);
        assertTrue(answer.contains("HTTP/1.1 401"), answer);
      }
    }
    assertEquals(200, send(proxy, HttpMethod.GET, transport + "/ok", null, null).status());
    assertTrue(
        backend.requests().stream().noneMatch(r -> r.contains("Expect")),
        "the backend gets no Expect: Portico answered it");
  }

  @Test
  void anHttp2ClientThatWaitsFor100ContinueGetsItToo() throws Exception {
    ProxySettings settings =
        ProxySettings.defaults("127.0.0.1", 0)
            .withEventLoops(1)
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30))
            .withUpstreamPool(1, 16)
            .withH2cPriorKnowledge(true);
    ProxyServer proxy = await(ProxyServer.start(vertx.vertx(), config, settings));
    HttpClient h2 =
        vertx
            .vertx()
            .createHttpClient(
                new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
    Future<Integer> status =
        h2.request(
                new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setServer(SocketAddress.inetSocketAddress(proxy.httpPort(), "127.0.0.1"))
                    .setHost("app.test")
                    .setURI("/pool/ok")
                    .putHeader("expect", "100-continue"))
            .compose(
                request -> {
                  request.setChunked(true);
                  // The body goes only once the 100 came.
                  request.continueHandler(v -> request.end(Buffer.buffer("hello")));
                  request.sendHead();
                  return request.response();
                })
            .map(response -> response.statusCode());
    assertEquals(200, waitFor(status.map(code -> new Answer(code, ""))).status());
    await(h2.close());
  }

  @Test
  void anHttp2UploadAnsweredBeforeItsEndGetsTheAnswerThenIsAskedToStop() throws Exception {
    ProxySettings settings =
        ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1).withH2cPriorKnowledge(true);
    ProxyServer proxy = await(ProxyServer.start(vertx.vertx(), config, settings));
    HttpClient h2 =
        vertx
            .vertx()
            .createHttpClient(
                new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
    CompletableFuture<Throwable> stopped = new CompletableFuture<>();
    Future<Integer> status =
        h2.request(
                new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setServer(SocketAddress.inetSocketAddress(proxy.httpPort(), "127.0.0.1"))
                    .setHost("app.test")
                    .setURI("/nowhere"))
            .compose(
                request -> {
                  request.exceptionHandler(stopped::complete);
                  request.setChunked(true);
                  request.write(Buffer.buffer("the first part of a body that never ends"));
                  return request.response();
                })
            .map(response -> response.statusCode());
    // No rule: Portico's 404 comes before the body's end, and the rest is not wanted.
    assertEquals(404, waitFor(status.map(code -> new Answer(code, ""))).status());
    Throwable reset = stopped.get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
    assertTrue(reset.toString().contains("reset"), reset.toString());
    await(h2.close());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/pool", "/client"})
  void aClientThatLeavesGivesItsConnectionBack(String transport) throws Exception {
    ProxyServer proxy = proxy();
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      raw.write("GET " + transport + "/hang HTTP/1.1\r\nHost: app.test\r\n\r\n");
      hangReceived.get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
    }
    assertEquals(200, send(proxy, HttpMethod.GET, transport + "/ok", null, null).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/pool", "/client"})
  void aBackendThatDiesMidResponseGivesNoConnectionBack(String transport) throws Exception {
    ProxyServer proxy = proxy();
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      raw.write("GET " + transport + "/die HTTP/1.1\r\nHost: app.test\r\n\r\n");
      String cut = raw.readUntilClosed(ANSWER_WITHIN);
      assertTrue(cut.startsWith("HTTP/1.1 200"), cut);
      assertTrue(raw.closedByServer(), "a body cut short closes the client's connection");
    }
    assertEquals(200, send(proxy, HttpMethod.GET, transport + "/ok", null, null).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/pool", "/client"})
  void aTimedOutExchangeGivesItsConnectionBack(String transport) throws Exception {
    ProxyServer proxy = proxy(Duration.ofMillis(500), 16);
    assertEquals(504, send(proxy, HttpMethod.GET, transport + "/hang", null, null).status());
    assertEquals(200, send(proxy, HttpMethod.GET, transport + "/ok", null, null).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/pool", "/client"})
  void aRequestWaitsForABusyConnectionNoLongerThanTheConnectTimeout(String transport)
      throws Exception {
    // The only connection hangs for 30 s; the wait queue holds one request.
    ProxyServer proxy = proxy(Duration.ofSeconds(30), 1);
    Future<Answer> hanging = sendAsync(proxy, HttpMethod.GET, transport + "/hang", null, null);
    hangReceived.get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
    // Two more: one waits in the queue and gives up after the connect timeout (1 s), the other
    // finds the queue full and is refused at once. Both are answered long before the hanging one
    // ends (30 s), which without the bounds they would wait for.
    Future<Answer> second = sendAsync(proxy, HttpMethod.GET, transport + "/ok", null, null);
    Future<Answer> third = sendAsync(proxy, HttpMethod.GET, transport + "/ok", null, null);
    assertEquals(503, waitFor(second).status());
    assertEquals(503, waitFor(third).status());
    assertFalse(hanging.isComplete(), "the first request still holds the connection");
  }

  @Test
  void connectAndTraceAre405AndNeverForwarded() throws Exception {
    ProxyServer proxy = proxy();
    for (String request :
        List.of(
            "CONNECT app.test:443 HTTP/1.1\r\nHost: app.test:443\r\n\r\n",
            "TRACE /pool/ok HTTP/1.1\r\nHost: app.test\r\n\r\n")) {
      try (RawClient raw = new RawClient(proxy.httpPort())) {
        String answer = raw.write(request).readUntil("\r\n\r\n", ANSWER_WITHIN);
        assertTrue(answer.startsWith("HTTP/1.1 405"), request + " -> " + answer);
      }
    }
    assertEquals(List.of(), backend.requests());
  }

  @Test
  void aBackendThatStopsSpeakingHttpIs502AndItsConnectionClosed() throws Exception {
    ProxyServer proxy = proxy();
    assertEquals(502, send(proxy, HttpMethod.GET, "/pool/switch", null, null).status());
    assertEquals(200, send(proxy, HttpMethod.GET, "/pool/ok", null, null).status());
    assertEquals(2, backend.connections(), "the switched connection is never reused");
  }

  @Test
  void anHttp2UploadWhoseClientLeavesNeverLooksCompleteToTheBackend() throws Exception {
    // HTTP/2 request bodies go through Vert.x's client. A body cut short by the client must not
    // reach the backend as a complete chunked body (pipeTo ended it with the terminator).
    StringBuffer received = new StringBuffer();
    CompletableFuture<Void> firstChunk = new CompletableFuture<>();
    CompletableFuture<Void> backendClosed = new CompletableFuture<>();
    RawBackend uploads =
        RawBackend.start(
            vertx.vertx(),
            socket -> {
              socket.handler(
                  data -> {
                    received.append(data.toString(StandardCharsets.ISO_8859_1));
                    if (received.indexOf("first part") >= 0) {
                      firstChunk.complete(null);
                    }
                  });
              socket.closeHandler(closed -> backendClosed.complete(null));
            });
    RouteTableBuilder table = RouteTable.builder();
    route(table, "/upload", "upload-svc", Endpoint.of("127.0.0.1", uploads.port()));
    config.publish(table.build());
    ProxySettings settings =
        ProxySettings.defaults("127.0.0.1", 0)
            .withEventLoops(1)
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30))
            .withH2cPriorKnowledge(true);
    ProxyServer proxy = await(ProxyServer.start(vertx.vertx(), config, settings));
    HttpClient h2 =
        vertx
            .vertx()
            .createHttpClient(
                new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
    var request =
        await(
            h2.request(
                new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setServer(SocketAddress.inetSocketAddress(proxy.httpPort(), "127.0.0.1"))
                    .setHost("app.test")
                    .setURI("/upload/cut")));
    request.setChunked(true);
    request.write(Buffer.buffer("first part"));
    firstChunk.get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
    // The client gives up on the stream (RST_STREAM), and on the connection.
    await(request.reset());
    await(h2.close());
    backendClosed.get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
    assertFalse(
        received.toString().contains("\r\n0\r\n\r\n"),
        "the chunked terminator of a complete body: " + received);
  }

  /** What came back. */
  private record Answer(int status, String body) {}

  private Answer send(
      ProxyServer proxy, HttpMethod method, String uri, MultiMap headers, Buffer body)
      throws Exception {
    return waitFor(sendAsync(proxy, method, uri, headers, body));
  }

  private static Answer waitFor(Future<Answer> answer) throws Exception {
    return answer
        .toCompletionStage()
        .toCompletableFuture()
        .get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
  }

  private Future<Answer> sendAsync(
      ProxyServer proxy, HttpMethod method, String uri, MultiMap headers, Buffer body) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setServer(SocketAddress.inetSocketAddress(proxy.httpPort(), "127.0.0.1"))
            .setHost("app.test")
            .setPort(80)
            .setURI(uri);
    if (headers != null) {
      options.setHeaders(headers);
    }
    return client
        .request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(
            response -> response.body().map(b -> new Answer(response.statusCode(), b.toString())));
  }
}
