package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
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
import io.portico.router.testing.RawClient;
import io.portico.router.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients are bounded: a request head must arrive within the client header timeout, a body may
 * not stall longer than the client body timeout, the connections of the process can be capped, and
 * HTTP/2 advertises limits that bound what one connection makes Portico hold. The timeouts are 1 s
 * here and the idle timeout 30 s, so only the new bounds can end what these clients do within the
 * tests' 10 s.
 */
class SlowClientIntegrationTest {

  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(1);

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private EchoBackend app;

  @BeforeEach
  void start() throws Exception {
    app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    route(Endpoint.of("127.0.0.1", app.port()));
  }

  private void route(Endpoint endpoint) {
    RouteTableBuilder table = RouteTable.builder();
    table.add(
        new Route(
            HostnamePattern.of("a.test"),
            PathMatch.prefix("/"),
            Backend.of(new BackendId("default", "app", "80"), List.of(endpoint)),
            new RouteOrigin("default", "app")));
    config.publish(table.build());
  }

  private ProxySettings settings() {
    return ProxySettings.defaults("127.0.0.1", 0)
        .withEventLoops(1)
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30))
        .withClientTimeouts(CLIENT_TIMEOUT, CLIENT_TIMEOUT);
  }

  private ProxyServer proxy(ProxySettings settings) throws Exception {
    return await(ProxyServer.start(vertx.vertx(), config, settings));
  }

  @Test
  void aHeadThatDripsInIs408AndClosed() throws Exception {
    ProxyServer proxy = proxy(settings());
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      raw.write("GET /x HTTP/1.1\r\n");
      // One header line every 300 ms: each resets the idle timeout; the head never completes.
      for (int i = 0; i < 30 && !raw.closedByServer() && raw.text().isEmpty(); i++) {
        raw.write("X-Drip-" + i + ": 1\r\n");
        raw.readUntil("HTTP/1.1 408", Duration.ofMillis(300));
      }
      String answer = raw.readUntilClosed(ANSWER_WITHIN);
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(raw.closedByServer());
    }
    assertEquals(0, app.requests());
  }

  @Test
  void aConnectionThatSendsNothingIs408AndClosed() throws Exception {
    ProxyServer proxy = proxy(settings());
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      String answer = raw.readUntilClosed(ANSWER_WITHIN);
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(raw.closedByServer());
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsTheIdleTimeoutsNotTheHeaderTimeouts() throws Exception {
    ProxyServer proxy = proxy(settings());
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      raw.write("GET /1 HTTP/1.1\r\nHost: a.test\r\n\r\n");
      assertTrue(raw.readResponse(ANSWER_WITHIN).startsWith("HTTP/1.1 200"));
      // Twice the header timeout without a byte, between two requests.
      String quiet = raw.readUntil("never", CLIENT_TIMEOUT.multipliedBy(2));
      assertFalse(raw.closedByServer(), quiet);
      raw.write("GET /2 HTTP/1.1\r\nHost: a.test\r\n\r\n");
      assertTrue(raw.readUntil("\"uri\" : \"/2\"", ANSWER_WITHIN).contains("\"uri\" : \"/2\""));
    }
  }

  @Test
  void aBodyThatStallsIs408AndItsBackendConnectionClosed() throws Exception {
    CompletableFuture<Void> backendClosed = new CompletableFuture<>();
    AtomicLong received = new AtomicLong();
    RawBackend backend =
        RawBackend.start(
            vertx.vertx(),
            socket -> {
              socket.handler(data -> received.addAndGet(data.length()));
              socket.closeHandler(closed -> backendClosed.complete(null));
            });
    route(Endpoint.of("127.0.0.1", backend.port()));
    ProxyServer proxy = proxy(settings());
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      raw.write("POST /upload HTTP/1.1\r\nHost: a.test\r\nContent-Length: 10\r\n\r\nhello");
      String answer = raw.readUntilClosed(ANSWER_WITHIN);
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(raw.closedByServer());
    }
    // The backend had half a body: its connection closes rather than wait for the rest.
    backendClosed.get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void timeABodyIsHeldBackForASlowBackendDoesNotCount() throws Exception {
    int size = 32 * 1024 * 1024;
    // Reads nothing for three client body timeouts, then everything, and answers.
    RawBackend backend =
        RawBackend.start(
            vertx.vertx(),
            socket -> {
              socket.pause();
              AtomicLong received = new AtomicLong();
              StringBuilder head = new StringBuilder();
              socket.handler(
                  data -> {
                    if (head.indexOf("\r\n\r\n") < 0) {
                      head.append(data.toString(StandardCharsets.ISO_8859_1));
                      int end = head.indexOf("\r\n\r\n");
                      if (end >= 0) {
                        received.addAndGet(head.length() - end - 4);
                      }
                    } else {
                      received.addAndGet(data.length());
                    }
                    if (received.get() >= size) {
                      socket.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
                    }
                  });
              vertx
                  .vertx()
                  .setTimer(CLIENT_TIMEOUT.multipliedBy(3).toMillis(), t -> socket.resume());
            });
    route(Endpoint.of("127.0.0.1", backend.port()));
    ProxyServer proxy = proxy(settings());
    HttpProbe.Answer answer =
        new HttpProbe(vertx.vertx(), proxy.httpPort())
            .send(
                HttpMethod.POST,
                "a.test",
                "/big",
                MultiMap.caseInsensitiveMultiMap(),
                Buffer.buffer(new byte[size]));
    assertEquals(200, answer.status());
  }

  @Test
  void anHttp2StreamWhoseConnectionWindowOtherStreamsFilledIsNotTimedOut() throws Exception {
    // Backend "stall" accepts one connection and never reads: with a pool of one, the uploads
    // sent to it wait for a connection, unread, until the connect timeout (3 s) answers them 503.
    RawBackend stall = RawBackend.start(vertx.vertx(), socket -> socket.pause());
    RouteTableBuilder table = RouteTable.builder();
    for (String[] route :
        List.of(
            new String[] {"/stall", Integer.toString(stall.port())},
            new String[] {"/echo", Integer.toString(app.port())})) {
      table.add(
          new Route(
              HostnamePattern.of("a.test"),
              PathMatch.prefix(route[0]),
              Backend.of(
                  new BackendId("default", route[0].substring(1), "80"),
                  List.of(Endpoint.of("127.0.0.1", Integer.parseInt(route[1])))),
              new RouteOrigin("default", "app")));
    }
    config.publish(table.build());
    ProxyServer proxy =
        proxy(
            settings()
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofSeconds(30))
                .withUpstreamPool(1, 64)
                .withH2cPriorKnowledge(true));
    HttpClient h2 =
        vertx
            .vertx()
            .createHttpClient(
                new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false)
                    .setHttp2MultiplexingLimit(64),
                new io.vertx.core.http.PoolOptions().setHttp2MaxSize(1));
    // The upload under test starts first, so that Portico reads its body (and times it).
    HttpClientRequest upload = await(h2.request(post(proxy, "/echo/upload")));
    upload.setChunked(true);
    Future<Integer> uploaded = upload.response().map(response -> response.statusCode());
    await(upload.write(Buffer.buffer("first")));
    Await.until("the upload to reach the backend", ANSWER_WITHIN, () -> app.requests() == 1);
    // 24 streams of 64 KiB each, unread by Portico: more than the connection's 1 MiB window.
    Buffer window = Buffer.buffer(new byte[ProxyVerticle.HTTP2_STREAM_WINDOW]);
    for (int i = 0; i < 24; i++) {
      HttpClientRequest waiting = await(h2.request(post(proxy, "/stall/" + i)));
      waiting.setChunked(true);
      waiting.exceptionHandler(e -> {});
      waiting.write(window);
    }
    // The rest waits for the window, longer than the body timeout (1 s), through no fault of the
    // client's; once the waiting uploads get their 503, it goes through.
    upload.end(Buffer.buffer(new byte[256 * 1024]));
    assertEquals(200, uploaded.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
    await(h2.close());
  }

  @Test
  void anHttp2UploadThatNeverSendsItsFirstByteIs408() throws Exception {
    ProxyServer proxy = proxy(settings().withH2cPriorKnowledge(true));
    HttpClient h2 =
        vertx
            .vertx()
            .createHttpClient(
                new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
    HttpClientRequest upload = await(h2.request(post(proxy, "/upload")));
    upload.setChunked(true);
    // HEADERS without END_STREAM, and then nothing.
    await(upload.sendHead());
    int status =
        upload
            .response()
            .map(response -> response.statusCode())
            .toCompletionStage()
            .toCompletableFuture()
            .get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
    assertEquals(408, status);
    assertEquals(0, app.requests());
    await(h2.close());
  }

  private static RequestOptions post(ProxyServer proxy, String uri) {
    return new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setServer(SocketAddress.inetSocketAddress(proxy.httpPort(), "127.0.0.1"))
        .setHost("a.test")
        .setURI(uri);
  }

  @Test
  void connectionsBeyondTheCapAreClosedAtOnce() throws Exception {
    ProxyServer proxy = proxy(settings().withMaxConnections(2));
    try (RawClient first = new RawClient(proxy.httpPort());
        RawClient second = new RawClient(proxy.httpPort())) {
      for (RawClient raw : List.of(first, second)) {
        raw.write("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
        assertTrue(raw.readResponse(ANSWER_WITHIN).startsWith("HTTP/1.1 200"));
      }
      try (RawClient third = new RawClient(proxy.httpPort())) {
        third.write("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
        String refused = third.readUntilClosed(ANSWER_WITHIN);
        assertTrue(third.closedByServer());
        assertEquals("", refused);
      }
    }
    // Both closed: there is room again.
    Await.until(
        "a connection to be served again",
        ANSWER_WITHIN,
        () -> {
          try (RawClient again = new RawClient(proxy.httpPort())) {
            again.write("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
            return again.readResponse(Duration.ofSeconds(2)).startsWith("HTTP/1.1 200");
          }
        });
  }

  @Test
  void http2AdvertisesLimitsThatBoundWhatOneConnectionCanMakePorticoHold() throws Exception {
    ProxyServer proxy = proxy(settings().withH2cPriorKnowledge(true));
    HttpClient h2 =
        vertx
            .vertx()
            .createHttpClient(
                new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
    HttpConnection connection =
        await(
            h2.request(
                    new RequestOptions()
                        .setServer(SocketAddress.inetSocketAddress(proxy.httpPort(), "127.0.0.1"))
                        .setHost("a.test")
                        .setURI("/"))
                .compose(request -> request.send().map(response -> request.connection())));
    Http2Settings advertised = (Http2Settings) connection.remoteSettings();
    assertEquals(ProxyVerticle.HTTP2_MAX_CONCURRENT_STREAMS, advertised.getMaxConcurrentStreams());
    assertEquals(ProxyVerticle.HTTP2_STREAM_WINDOW, advertised.getInitialWindowSize());
    assertEquals(32 * 1024, advertised.getMaxHeaderListSize());
    await(h2.close());
  }
}
