package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.echo.EchoBackend;
import io.portico.router.policy.MirrorPolicy;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.Mirror;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.route.RouteTarget;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Copies of requests to a mirror, through the real server: what the mirror receives, what it does
 * not, and that the client's request never waits for it.
 */
class MirrorIntegrationTest {

  private static final String HOST = "app.test";

  /** What the mirror received. */
  private record Copy(String method, String uri, String host, MultiMap headers, String body) {}

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private final BlockingQueue<Copy> copies = new LinkedBlockingQueue<>();
  // Requests the mirror holds without answering, to show that nobody waits for them.
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private final Map<MirrorOutcome, AtomicLong> outcomes = new ConcurrentHashMap<>();
  private volatile boolean holdAnswers;
  private Endpoint main;
  private Endpoint mirror;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "main", "127.0.0.1", 0));
    main = Endpoint.of("127.0.0.1", app.port());
    HttpServer server =
        vertx
            .vertx()
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              copies.add(
                                  new Copy(
                                      request.method().name(),
                                      request.uri(),
                                      request.getHeader("host"),
                                      MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
                                      body.toString()));
                              if (holdAnswers) {
                                held.add(request);
                              } else {
                                request.response().end("mirrored");
                              }
                            }));
    mirror = Endpoint.of("127.0.0.1", await(server.listen(0, "127.0.0.1")).actualPort());
    TrafficObserver observer =
        new TrafficObserver() {
          @Override
          public void mirrorEnded(RouteTarget target, MirrorOutcome outcome) {
            outcomes.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
          }
        };
    ProxyServer proxy =
        await(
            ProxyServer.start(
                vertx.vertx(),
                config,
                ProxySettings.defaults("127.0.0.1", 0)
                    .withEventLoops(2)
                    .withTimeouts(
                        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30)),
                null,
                observer));
    client = new HttpProbe(vertx.vertx(), proxy.httpPort());
  }

  private void serve(MirrorPolicy copy, Endpoint... mirrorEndpoints) {
    Route route =
        new Route(
                HostnamePattern.of(HOST),
                PathMatch.prefix("/"),
                Backend.of(new BackendId("default", "main-svc", "80"), List.of(main)),
                new RouteOrigin("default", "app"))
            .withMirror(
                Optional.of(
                    new Mirror(
                        Backend.of(
                            new BackendId("default", "mirror-svc", "80"), List.of(mirrorEndpoints)),
                        copy)));
    RouteTableBuilder table = RouteTable.builder();
    table.add(route);
    config.publish(table.build());
  }

  private HttpProbe.Answer send(HttpMethod method, String uri, String body) throws Exception {
    HttpProbe.Answer answer =
        client.send(
            method,
            HOST,
            uri,
            MultiMap.caseInsensitiveMultiMap().add("x-client", "yes"),
            body == null ? null : Buffer.buffer(body));
    assertEquals(200, answer.status(), answer.text());
    assertEquals("main", answer.backend(), "the client's answer is the backend's");
    return answer;
  }

  private Copy nextCopy() throws InterruptedException {
    Copy copy = copies.poll(10, TimeUnit.SECONDS);
    assertNotNull(copy, "the mirror received nothing");
    return copy;
  }

  private long outcome(MirrorOutcome outcome) {
    AtomicLong count = outcomes.get(outcome);
    return count == null ? 0 : count.get();
  }

  @Test
  void aCopyGoesToTheMirrorsPathWithItsHostTheClientsQueryAndHeaders() throws Exception {
    serve(new MirrorPolicy("/mirror", false, "mirror.test", true), mirror);
    send(HttpMethod.GET, "/shop/cart?item=1", null);
    Copy copy = nextCopy();
    assertEquals("GET", copy.method());
    assertEquals("/mirror?item=1", copy.uri());
    assertEquals("mirror.test", copy.host());
    assertEquals("yes", copy.headers().get("x-client"));
    assertEquals("127.0.0.1", copy.headers().get("x-forwarded-for"));
    Await.until("the copy counted", Duration.ofSeconds(10), () -> outcome(MirrorOutcome.SENT) == 1);
  }

  @Test
  void withRequestUriTheCopyKeepsTheClientsPathAndQuery() throws Exception {
    serve(new MirrorPolicy("/", true, "mirror.test", true), mirror);
    send(HttpMethod.GET, "/shop/cart?item=1", null);
    assertEquals("/shop/cart?item=1", nextCopy().uri());
  }

  @Test
  void aBodyIsCopiedWholeUpToTheLimitAndNotAtAllAbove() throws Exception {
    serve(new MirrorPolicy("/mirror", false, "mirror.test", true), mirror);
    String small = "x".repeat(10_000);
    send(HttpMethod.POST, "/upload", small);
    Copy copy = nextCopy();
    assertEquals("POST", copy.method());
    assertEquals(small, copy.body());
    assertEquals("10000", copy.headers().get("content-length"));

    String large = "y".repeat(MirrorSender.MAX_BODY_BYTES + 1);
    HttpProbe.Answer answer = send(HttpMethod.POST, "/upload", large);
    assertEquals(
        String.valueOf(large.length()),
        answer.json().getJsonObject("headers").getString("content-length"),
        "the backend got the whole body");
    Await.until(
        "the large body counted",
        Duration.ofSeconds(10),
        () -> outcome(MirrorOutcome.BODY_TOO_LARGE) == 1);
    send(HttpMethod.GET, "/after", null);
    assertEquals("/mirror", nextCopy().uri(), "the large body's copy was never sent");
  }

  @Test
  void withoutTheBodyTheCopyCarriesNone() throws Exception {
    serve(new MirrorPolicy("/mirror", false, "mirror.test", false), mirror);
    send(HttpMethod.POST, "/upload", "secret body");
    Copy copy = nextCopy();
    assertEquals("", copy.body());
    assertNull(copy.headers().get("content-length"), copy.headers().toString());
  }

  @Test
  void aMirrorThatDoesNotAnswerOrIsDownNeverDelaysOrFailsTheClient() throws Exception {
    holdAnswers = true;
    serve(new MirrorPolicy("/mirror", false, "mirror.test", true), mirror);
    for (int i = 0; i < 5; i++) {
      send(HttpMethod.GET, "/held/" + i, null);
    }
    Await.until("the mirror holds five copies", Duration.ofSeconds(10), () -> held.size() == 5);
    assertEquals(0, outcome(MirrorOutcome.SENT), "no copy was answered yet");

    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    serve(
        new MirrorPolicy("/mirror", false, "mirror.test", true), Endpoint.of("127.0.0.1", closed));
    send(HttpMethod.POST, "/down", "body");
    Await.until(
        "the failed copy counted",
        Duration.ofSeconds(10),
        () -> outcome(MirrorOutcome.FAILED) == 1);
    held.forEach(request -> request.response().end());
    assertTrue(copies.size() >= 5);
  }

  @Test
  void aMirrorWithoutEndpointsIsCountedAndTheClientServed() throws Exception {
    serve(new MirrorPolicy("/mirror", false, "mirror.test", true));
    send(HttpMethod.GET, "/x", null);
    Await.until(
        "the copy without endpoint counted",
        Duration.ofSeconds(10),
        () -> outcome(MirrorOutcome.NO_ENDPOINT) == 1);
  }
}
