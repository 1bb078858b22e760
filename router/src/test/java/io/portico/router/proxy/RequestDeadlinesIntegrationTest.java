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
import io.portico.router.route.RequestDeadlines;
import io.portico.router.route.RetryPolicy;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.route.UpstreamSettings;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.RawClient;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A route's {@link RequestDeadlines} (an HTTPRoute's {@code timeouts}) through real servers: the
 * request's limit spans its retries, an attempt's limit sends the request to the next endpoint when
 * that is safe, and neither cuts a response that has started. The listener's read timeout is 60 s
 * throughout, so only the route's limits can answer within the tests' bound.
 */
class RequestDeadlinesIntegrationTest {

  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private final AtomicInteger hits = new AtomicInteger();

  /** A backend that counts the requests it gets and handles them as {@code handler} says. */
  private int backend(Consumer<HttpServerRequest> handler) throws Exception {
    return await(
            vertx
                .vertx()
                .createHttpServer()
                .requestHandler(
                    request -> {
                      hits.incrementAndGet();
                      handler.accept(request);
                    })
                .listen(0, "127.0.0.1"))
        .actualPort();
  }

  /** Answers {@code status} after {@code millis}. */
  private int slow(int status, long millis) throws Exception {
    return backend(
        request ->
            vertx
                .vertx()
                .setTimer(millis, t -> request.response().setStatusCode(status).end("late")));
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
            .withUpstream(UpstreamSettings.of(settings)));
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
  void theRequestsLimitSpansItsRetries() throws Exception {
    // Each attempt takes 600 ms and is retried on its 503: one fits in 1 s, two never do. Were the
    // limit counted per attempt, the second 503 would reach the client.
    RetryPolicy on503 =
        new RetryPolicy(Set.of(RetryPolicy.Condition.ERROR, RetryPolicy.Condition.HTTP_503), 3, 0);
    publish(
        UpstreamSettings.DEFAULT.withRetry(on503).withDeadlines(new RequestDeadlines(1000, 0)),
        slow(503, 600),
        slow(503, 600));
    ProxyServer proxy = proxy();
    HttpProbe.Answer answer = new HttpProbe(vertx.vertx(), proxy.httpPort()).get("app.test", "/");
    assertEquals(504, answer.status(), answer.text());
    assertEquals(2, hits.get(), "the retry started within the request's limit");
  }

  @Test
  void theRequestsLimitAnswers504WhileTheBackendIsSilent() throws Exception {
    publish(
        UpstreamSettings.DEFAULT.withDeadlines(new RequestDeadlines(300, 0)),
        backend(request -> {}));
    ProxyServer proxy = proxy();
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      raw.write("GET /hang HTTP/1.1\r\nHost: app.test\r\n\r\n");
      String answer = raw.readResponse(ANSWER_WITHIN);
      assertTrue(answer.startsWith("HTTP/1.1 504"), answer);
      // The connection stays usable: the next request on it is answered too.
      raw.write("GET /hang HTTP/1.1\r\nHost: app.test\r\n\r\n");
      assertTrue(raw.readResponse(ANSWER_WITHIN).startsWith("HTTP/1.1 504"));
    }
  }

  @Test
  void anAttemptOverItsLimitGoesToTheNextEndpoint() throws Exception {
    AtomicInteger silent = new AtomicInteger();
    int hang = backend(request -> silent.incrementAndGet());
    int ok = backend(request -> request.response().end("ok"));
    publish(UpstreamSettings.DEFAULT.withDeadlines(new RequestDeadlines(0, 300)), hang, ok);
    ProxyServer proxy = proxy();
    HttpProbe probe = new HttpProbe(vertx.vertx(), proxy.httpPort());
    // Round robin: one of two requests starts on the silent endpoint.
    for (int i = 0; i < 2; i++) {
      HttpProbe.Answer answer = probe.get("app.test", "/");
      assertEquals(200, answer.status(), "request " + i);
      assertEquals("ok", answer.text());
    }
    assertTrue(silent.get() >= 1, "the silent endpoint was tried first once");
  }

  @Test
  void anAttemptOverItsLimitWithABodyIs504AndNotSentAgain() throws Exception {
    AtomicInteger silent = new AtomicInteger();
    int hang = backend(request -> silent.incrementAndGet());
    int other = backend(request -> silent.incrementAndGet());
    publish(UpstreamSettings.DEFAULT.withDeadlines(new RequestDeadlines(0, 300)), hang, other);
    ProxyServer proxy = proxy();
    HttpProbe.Answer answer =
        new HttpProbe(vertx.vertx(), proxy.httpPort())
            .send(
                HttpMethod.POST,
                "app.test",
                "/upload",
                MultiMap.caseInsensitiveMultiMap(),
                Buffer.buffer("a body"));
    assertEquals(504, answer.status(), answer.text());
    assertEquals(1, silent.get(), "a body that went is never sent again");
  }

  @Test
  void aResponseThatStartedOutlivesTheRequestsLimit() throws Exception {
    // The head and a first chunk at once, the rest well after the request's limit.
    publish(
        UpstreamSettings.DEFAULT.withDeadlines(new RequestDeadlines(300, 300)),
        backend(
            request -> {
              request.response().setChunked(true).write("first ");
              vertx.vertx().setTimer(900, t -> request.response().end("last"));
            }));
    ProxyServer proxy = proxy();
    HttpProbe.Answer answer = new HttpProbe(vertx.vertx(), proxy.httpPort()).get("app.test", "/");
    assertEquals(200, answer.status());
    assertEquals("first last", answer.text());
  }
}
