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
import io.portico.router.route.ResponseRate;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.route.UpstreamSettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.TestVertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A route's bandwidth limit ({@code limit-rate}, {@code limit-rate-after}) through real servers, in
 * the spirit of ingress-nginx's e2e test annotations/limitrate: a paced body takes at least its
 * paced bytes over the rate (a lower bound only), the bytes at full speed come before the pace
 * allows any more, over HTTP/1.1 and HTTP/2, with or without a Content-Length; and a route without
 * a limit is not paced.
 */
class ResponseRateIntegrationTest {

  private static final int KIB = 1024;
  private static final Duration WITHIN = Duration.ofSeconds(30);

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private int backendPort;

  /**
   * Answers {@code /kib/N} with N KiB, with a Content-Length, or chunked under {@code /chunked}.
   */
  @BeforeEach
  void start() throws Exception {
    HttpServer server =
        vertx
            .vertx()
            .createHttpServer()
            .requestHandler(
                request -> {
                  String path = request.path();
                  int kib = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
                  HttpServerResponse response = request.response();
                  Buffer piece = Buffer.buffer(new byte[KIB]);
                  if (path.startsWith("/chunked/")) {
                    response.setChunked(true);
                  } else {
                    response.putHeader("content-length", Integer.toString(kib * KIB));
                  }
                  for (int i = 0; i < kib; i++) {
                    response.write(piece);
                  }
                  response.end();
                });
    backendPort = await(server.listen(0, "127.0.0.1")).actualPort();
  }

  private ProxyServer proxy(ResponseRate rate) throws Exception {
    RouteTableBuilder table = RouteTable.builder();
    table.add(route("paced.test").withUpstream(UpstreamSettings.DEFAULT.withResponseRate(rate)));
    table.add(route("plain.test"));
    config.publish(table.build());
    return await(
        ProxyServer.start(
            vertx.vertx(),
            config,
            ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1).withH2cPriorKnowledge(true)));
  }

  private Route route(String host) {
    return new Route(
        HostnamePattern.of(host),
        PathMatch.prefix("/"),
        Backend.of(
            new BackendId("default", "svc", "80"), List.of(Endpoint.of("127.0.0.1", backendPort))),
        new RouteOrigin("default", host));
  }

  /** One download, as it arrives. */
  private static final class Download {
    // Held, so that the client is not closed as unreachable before the body ends.
    @Nullable HttpClient client;
    final long startNanos = System.nanoTime();
    final AtomicLong received = new AtomicLong();
    final CompletableFuture<Long> endNanos = new CompletableFuture<>();
    volatile int status;

    long seconds(long nanos) {
      return TimeUnit.NANOSECONDS.toMillis(nanos - startNanos);
    }

    /** Milliseconds from the request to the end of the body. */
    long millis() throws Exception {
      return seconds(endNanos.get(WITHIN.toSeconds(), TimeUnit.SECONDS));
    }
  }

  private Download get(int port, HttpVersion version, String host, String path) {
    HttpClient client =
        vertx
            .vertx()
            .createHttpClient(
                new HttpClientOptions()
                    .setProtocolVersion(version)
                    .setHttp2ClearTextUpgrade(false));
    Download download = new Download();
    download.client = client;
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
                .setHost(host)
                .setPort(80)
                .setURI(path))
        .compose(request -> request.send())
        .onSuccess(
            response -> {
              download.status = response.statusCode();
              response.handler(chunk -> download.received.addAndGet(chunk.length()));
              response.endHandler(end -> download.endNanos.complete(System.nanoTime()));
              response.exceptionHandler(download.endNanos::completeExceptionally);
            })
        .onFailure(download.endNanos::completeExceptionally);
    return download;
  }

  @Test
  void aPacedBodyTakesAtLeastItsSizeOverTheRateOverHttp11() throws Exception {
    ProxyServer proxy = proxy(ResponseRate.ofKib(32, 0));
    Download download = get(proxy.httpPort(), HttpVersion.HTTP_1_1, "paced.test", "/kib/64");
    long millis = download.millis();
    assertEquals(200, download.status);
    assertEquals(64 * KIB, download.received.get());
    assertTrue(millis >= 2000, "64 KiB at 32 KiB/s took " + millis + " ms (expected: >= 2000)");
  }

  @Test
  void aPacedBodyTakesAtLeastItsSizeOverTheRateOverHttp2() throws Exception {
    ProxyServer proxy = proxy(ResponseRate.ofKib(32, 0));
    Download download = get(proxy.httpPort(), HttpVersion.HTTP_2, "paced.test", "/kib/64");
    long millis = download.millis();
    assertEquals(200, download.status);
    assertEquals(64 * KIB, download.received.get());
    assertTrue(millis >= 2000, "64 KiB at 32 KiB/s took " + millis + " ms (expected: >= 2000)");
  }

  @Test
  void aChunkedBodyIsPacedToo() throws Exception {
    ProxyServer proxy = proxy(ResponseRate.ofKib(32, 16));
    Download download = get(proxy.httpPort(), HttpVersion.HTTP_1_1, "paced.test", "/chunked/80");
    long millis = download.millis();
    assertEquals(200, download.status);
    assertEquals(80 * KIB, download.received.get());
    assertTrue(millis >= 2000, "64 paced KiB at 32 KiB/s took " + millis + " ms (>= 2000)");
  }

  @Test
  void theBytesAtFullSpeedComeBeforeThePaceAllowsMore() throws Exception {
    // After 64 KiB at once, 1 KiB per second: the 65th KiB cannot have come within a second.
    ProxyServer proxy = proxy(ResponseRate.ofKib(1, 64));
    Download download = get(proxy.httpPort(), HttpVersion.HTTP_1_1, "paced.test", "/kib/128");
    Await.until("the first 64 KiB", WITHIN, () -> download.received.get() >= 64 * KIB);
    long millis = download.seconds(System.nanoTime());
    long received = download.received.get();
    assertTrue(
        received < 64 * KIB + 1 + millis * KIB / 1000,
        received + " bytes within " + millis + " ms: more than 64 KiB and 1 KiB/s");
    assertTrue(!download.endNanos.isDone(), "the paced 64 KiB take at least 64 s");
  }

  @Test
  void aRouteWithoutALimitIsNotPaced() throws Exception {
    // At the paced route's 1 KiB/s, 4 MiB would take more than an hour.
    ProxyServer proxy = proxy(ResponseRate.ofKib(1, 0));
    Download plain = get(proxy.httpPort(), HttpVersion.HTTP_1_1, "plain.test", "/kib/4096");
    plain.millis();
    assertEquals(200, plain.status);
    assertEquals(4096 * KIB, plain.received.get());
    assertTrue(UpstreamSettings.DEFAULT.pooled(), "an unlimited route keeps the pooled path");
  }
}
