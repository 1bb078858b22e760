package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.RetryPolicy;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.route.UpstreamSettings;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.RawBackend;
import io.portico.router.testing.RawClient;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A route's own upstream settings, through real servers: the body limit (413 before anything goes
 * upstream, a streamed body cut at the limit), its read timeout, the limit on the backend's
 * response head, and its retry policy.
 */
class UpstreamSettingsIntegrationTest {

  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  // Request bodies the backend received whole.
  private final List<Integer> bodies = new ArrayList<>();
  private final AtomicInteger hits503 = new AtomicInteger();
  private final AtomicInteger hitsOk = new AtomicInteger();
  private int backendPort;
  private int failingPort;
  private int deadPort;

  @BeforeEach
  void start() throws Exception {
    backendPort = backend(false);
    failingPort = backend(true);
    try (ServerSocket closed = new ServerSocket(0)) {
      deadPort = closed.getLocalPort();
    }
  }

  /** A backend: {@code failing} answers 503 to everything. */
  private int backend(boolean failing) throws Exception {
    HttpServer server =
        vertx
            .vertx()
            .createHttpServer()
            .requestHandler(
                request -> {
                  if (failing) {
                    hits503.incrementAndGet();
                    request.response().setStatusCode(503).end("down");
                    return;
                  }
                  String path = request.path();
                  if (path.endsWith("/hang")) {
                    return;
                  }
                  if (path.endsWith("/version")) {
                    request
                        .response()
                        .end(request.version() + " " + request.getHeader("connection"));
                    return;
                  }
                  if (path.endsWith("/bighead")) {
                    request.response().putHeader("x-big", "b".repeat(2000)).end("big");
                    return;
                  }
                  request
                      .body()
                      .onSuccess(
                          body -> {
                            synchronized (bodies) {
                              bodies.add(body.length());
                            }
                            hitsOk.incrementAndGet();
                            request.response().end("ok");
                          });
                });
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  private void publish(UpstreamSettings settings, int... ports) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int port : ports) {
      endpoints.add(Endpoint.of("127.0.0.1", port));
    }
    RouteTableBuilder table = RouteTable.builder();
    table.add(
        new Route(
                HostnamePattern.of("app.test"),
                PathMatch.prefix("/"),
                Backend.of(new BackendId("default", "svc", "80"), endpoints),
                new RouteOrigin("default", "app"))
            .withUpstream(settings));
    config.publish(table.build());
  }

  private ProxyServer proxy() throws Exception {
    ProxySettings settings =
        ProxySettings.defaults("127.0.0.1", 0)
            .withEventLoops(1)
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(30));
    return await(ProxyServer.start(vertx.vertx(), config, settings));
  }

  @Test
  void aDeclaredBodyOverTheLimitIs413AndNothingGoesUpstream() throws Exception {
    publish(UpstreamSettings.DEFAULT.withMaxBodyBytes(10), backendPort);
    ProxyServer proxy = proxy();
    HttpProbe probe = new HttpProbe(vertx.vertx(), proxy.httpPort());
    HttpProbe.Answer refused =
        probe.send(
            HttpMethod.POST,
            "app.test",
            "/upload",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer("x".repeat(11)));
    assertEquals(413, refused.status());
    HttpProbe.Answer taken =
        probe.send(
            HttpMethod.POST,
            "app.test",
            "/upload",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer("x".repeat(10)));
    assertEquals(200, taken.status());
    synchronized (bodies) {
      assertEquals(List.of(10), bodies, "only the body within the limit reached the backend");
    }
  }

  @Test
  void aClientStillSendingItsBodyReadsThe413RatherThanAReset() throws Exception {
    publish(UpstreamSettings.DEFAULT.withMaxBodyBytes(10), backendPort);
    ProxyServer proxy = proxy();
    // Far more than the socket buffers between the two hold: the server must read it to let the
    // client finish, as a client that writes its whole body before reading (curl, most SDKs) does.
    int length = 64 * 1024 * 1024;
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      raw.write(
          "POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: " + length + "\r\n\r\n");
      raw.write(new byte[length]);
      String answer = raw.readUntilClosed(ANSWER_WITHIN);
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(raw.closedByServer(), "the connection closes once the body has been read");
    }
    synchronized (bodies) {
      assertEquals(List.of(), bodies, "nothing reached the backend");
    }
  }

  @Test
  void aClientThatStopsSendingAfterThe413IsClosedOnByTheLingerTimeout() throws Exception {
    publish(UpstreamSettings.DEFAULT.withMaxBodyBytes(10), backendPort);
    ProxyServer proxy = proxy();
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      raw.write("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1000000\r\n\r\n");
      raw.write(new byte[1000]);
      String answer = raw.readUntilClosed(ANSWER_WITHIN);
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(raw.closedByServer(), "a body that stops coming does not hold the connection");
    }
  }

  @Test
  void aChunkedBodyIsCutAtTheLimitAndNeverForwardedWhole() throws Exception {
    publish(UpstreamSettings.DEFAULT.withMaxBodyBytes(16), backendPort);
    ProxyServer proxy = proxy();
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      raw.write(
          "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "a\r\n0123456789\r\n");
      raw.write("a\r\n0123456789\r\n0\r\n\r\n");
      String answer = raw.readUntilClosed(ANSWER_WITHIN);
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(raw.closedByServer(), "the connection closes: the rest of the body is unread");
    }
    // The next request on a new connection is served: nothing was left broken.
    HttpProbe probe = new HttpProbe(vertx.vertx(), proxy.httpPort());
    assertEquals(200, probe.get("app.test", "/").status());
    synchronized (bodies) {
      assertEquals(List.of(0), bodies, "the cut body never reached the backend whole");
    }
  }

  @Test
  void theRoutesReadTimeoutAppliesInsteadOfTheListeners() throws Exception {
    publish(
        UpstreamSettings.DEFAULT.withTimeouts(0, 300, 0).withRetry(RetryPolicy.OFF), backendPort);
    ProxyServer proxy = proxy();
    // The listener's read timeout is 60 s: only the route's can answer within the bound.
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      raw.write("GET /hang HTTP/1.1\r\nHost: app.test\r\n\r\n");
      String answer = raw.readResponse(ANSWER_WITHIN);
      assertTrue(answer.startsWith("HTTP/1.1 504"), answer);
    }
  }

  @Test
  void aBackendThatTakesNoneOfTheBodyIs504AfterTheSendTimeout() throws Exception {
    // Reads nothing at all: once the socket buffers are full, Portico holds the client back.
    RawBackend deaf = RawBackend.start(vertx.vertx(), socket -> socket.pause());
    publish(
        UpstreamSettings.DEFAULT.withTimeouts(0, 0, 500).withRetry(RetryPolicy.OFF), deaf.port());
    ProxyServer proxy = proxy();
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      int size = 64 * 1024 * 1024;
      raw.write("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: " + size + "\r\n\r\n");
      Thread writer =
          new Thread(
              () -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                  for (int sent = 0; sent < size; sent += chunk.length) {
                    raw.write(new String(chunk, java.nio.charset.StandardCharsets.ISO_8859_1));
                  }
                } catch (IOException e) {
                  // Portico closed the connection after its answer.
                }
              });
      writer.setDaemon(true);
      writer.start();
      String answer = raw.readResponse(ANSWER_WITHIN);
      assertTrue(answer.startsWith("HTTP/1.1 504"), answer);
    }
  }

  @Test
  void proxyHttpVersionAndConnectionHeaderReachTheBackend() throws Exception {
    publish(UpstreamSettings.DEFAULT.withHttpVersion(true, "close"), backendPort);
    ProxyServer proxy = proxy();
    HttpProbe probe = new HttpProbe(vertx.vertx(), proxy.httpPort());
    assertEquals("HTTP_1_0 close", probe.get("app.test", "/version").text());
    publish(UpstreamSettings.DEFAULT, backendPort);
    assertEquals("HTTP_1_1 null", probe.get("app.test", "/version").text());
  }

  @Test
  void aResponseHeadOverTheRoutesBufferIs502() throws Exception {
    publish(UpstreamSettings.DEFAULT.withMaxResponseHeadBytes(1024), backendPort);
    ProxyServer proxy = proxy();
    HttpProbe probe = new HttpProbe(vertx.vertx(), proxy.httpPort());
    assertEquals(502, probe.get("app.test", "/bighead").status());
    assertEquals(200, probe.get("app.test", "/").status(), "a small head still passes");
    publish(UpstreamSettings.DEFAULT.withMaxResponseHeadBytes(4096), backendPort);
    assertEquals(200, probe.get("app.test", "/bighead").status());
  }

  @Test
  void http503IsRetriedOnTheNextEndpointOnlyWhenThePolicySaysSo() throws Exception {
    RetryPolicy on503 =
        new RetryPolicy(Set.of(RetryPolicy.Condition.ERROR, RetryPolicy.Condition.HTTP_503), 3, 0);
    publish(UpstreamSettings.DEFAULT.withRetry(on503), failingPort, backendPort);
    ProxyServer proxy = proxy();
    HttpProbe probe = new HttpProbe(vertx.vertx(), proxy.httpPort());
    for (int i = 0; i < 6; i++) {
      assertEquals(200, probe.get("app.test", "/").status(), "request " + i);
    }
    assertTrue(hits503.get() > 0, "the failing endpoint was tried");
    // A POST is not idempotent: its 503 stands.
    int posts503 = 0;
    for (int i = 0; i < 6; i++) {
      int status =
          probe
              .send(HttpMethod.POST, "app.test", "/", MultiMap.caseInsensitiveMultiMap(), null)
              .status();
      posts503 += status == 503 ? 1 : 0;
    }
    assertTrue(posts503 > 0, "a POST's 503 is not retried without non_idempotent");
    // Without http_503, the failing endpoint's answer reaches the client.
    publish(UpstreamSettings.DEFAULT, failingPort, backendPort);
    int gets503 = 0;
    for (int i = 0; i < 6; i++) {
      gets503 += probe.get("app.test", "/").status() == 503 ? 1 : 0;
    }
    assertTrue(gets503 > 0, "the default policy does not retry a 503");
  }

  @Test
  void aRefusedConnectionIsRetriedUnlessThePolicyIsOff() throws Exception {
    publish(UpstreamSettings.DEFAULT, deadPort, backendPort);
    ProxyServer proxy = proxy();
    HttpProbe probe = new HttpProbe(vertx.vertx(), proxy.httpPort());
    for (int i = 0; i < 6; i++) {
      assertEquals(200, probe.get("app.test", "/").status(), "request " + i);
    }
    publish(UpstreamSettings.DEFAULT.withRetry(RetryPolicy.OFF), deadPort, backendPort);
    int refused = 0;
    for (int i = 0; i < 6; i++) {
      refused += probe.get("app.test", "/").status() == 502 ? 1 : 0;
    }
    assertTrue(refused > 0, "proxy-next-upstream: off answers the refused attempt's 502");
  }
}
