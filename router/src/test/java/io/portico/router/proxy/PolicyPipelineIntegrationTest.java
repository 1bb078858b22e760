package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.portico.router.LiveConfig;
import io.portico.router.echo.EchoBackend;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.ResponseHead;
import io.portico.router.policy.ResponseHeadPolicy;
import io.portico.router.policy.RoutePolicies;
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
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routes with request policies, through the real server to a real backend. */
class PolicyPipelineIntegrationTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  // Exchanges of requests whose policy decides later, handed to the test.
  private final BlockingQueue<PolicyExchange> parked = new LinkedBlockingQueue<>();
  private EchoBackend app;
  private HttpProbe client;

  /** Denies every request with a 403 of its own. */
  private static final RequestPolicy DENY =
      new Policy(PolicyPhase.ACCESS) {
        @Override
        public void apply(PolicyRequest request, PolicyExchange exchange) {
          exchange.answer(
              new PolicyAnswer(
                  403,
                  List.of(new PolicyAnswer.Header("content-type", "text/plain")),
                  "denied: " + request.method() + " " + request.path() + "\n"));
        }
      };

  /** Every response of the route says {@code x-frame-options: DENY}, whoever wrote it. */
  private static final ResponseHeadPolicy FRAME_OPTIONS =
      new ResponseHeadPolicy() {
        @Override
        public PolicyPhase phase() {
          return PolicyPhase.HEADERS;
        }

        @Override
        public void editResponseHead(PolicyRequest request, ResponseHead head) {
          head.set("x-frame-options", "DENY");
        }
      };

  /** Adds a response header of this request's own, then lets it go on. */
  private static final RequestPolicy REQUEST_ID =
      new Policy(PolicyPhase.HEADERS) {
        @Override
        public void apply(PolicyRequest request, PolicyExchange exchange) {
          exchange.addResponseHeader("x-request-path", request.path());
          exchange.proceed();
        }
      };

  private static final RequestPolicy BROKEN =
      new Policy(PolicyPhase.AUTHENTICATION) {
        @Override
        public void apply(PolicyRequest request, PolicyExchange exchange) {
          throw new IllegalStateException("broken policy");
        }
      };

  /** A policy of a phase; the anonymous classes of this test say what it does. */
  private abstract static class Policy implements RequestPolicy {
    private final PolicyPhase phase;

    Policy(PolicyPhase phase) {
      this.phase = phase;
    }

    @Override
    public PolicyPhase phase() {
      return phase;
    }
  }

  @BeforeEach
  void start() throws Exception {
    app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    RequestPolicy later =
        new Policy(PolicyPhase.AUTHENTICATION) {
          @Override
          public void apply(PolicyRequest request, PolicyExchange exchange) {
            parked.add(exchange);
          }
        };
    Endpoint endpoint = Endpoint.of("127.0.0.1", app.port());
    RouteTableBuilder table = RouteTable.builder();
    route(table, "/deny", RoutePolicies.of(FRAME_OPTIONS, DENY), endpoint);
    route(table, "/headers", RoutePolicies.of(FRAME_OPTIONS, REQUEST_ID), endpoint);
    route(table, "/headers-empty", RoutePolicies.of(FRAME_OPTIONS, REQUEST_ID));
    route(table, "/later", RoutePolicies.of(later, FRAME_OPTIONS), endpoint);
    route(table, "/broken", RoutePolicies.of(BROKEN), endpoint);
    config.publish(table.build());
    ProxySettings settings = ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2);
    ProxyServer proxy = await(ProxyServer.start(vertx.vertx(), config, settings));
    client = new HttpProbe(vertx.vertx(), proxy.httpPort());
  }

  private static void route(
      RouteTableBuilder table, String path, RoutePolicies policies, Endpoint... endpoints) {
    table.add(
        new Route(
            HostnamePattern.of("app.test"),
            PathMatch.prefix(path),
            Backend.of(new BackendId("default", "app-svc", "80"), List.of(endpoints)),
            new RouteOrigin("default", "app"),
            HttpsPolicy.NONE,
            policies));
  }

  @Test
  void aPolicysAnswerCarriesTheRoutesResponseHeadersAndNeverReachesTheBackend() throws Exception {
    HttpProbe.Answer answer = client.get("app.test", "/deny/x");
    assertEquals(403, answer.status());
    assertEquals("denied: GET /deny/x\n", answer.text());
    assertEquals("text/plain", answer.headers().get("content-type"));
    assertEquals("DENY", answer.headers().get("x-frame-options"));
    assertEquals(0, app.requests());
  }

  @Test
  void responseHeadersGoOnTheBackendsResponseAndOnPorticosOwnAnswer() throws Exception {
    HttpProbe.Answer proxied = client.get("app.test", "/headers/a");
    assertEquals(200, proxied.status());
    assertEquals("app", proxied.backend());
    assertEquals("DENY", proxied.headers().get("x-frame-options"));
    assertEquals("/headers/a", proxied.headers().get("x-request-path"));

    HttpProbe.Answer unavailable = client.get("app.test", "/headers-empty/b");
    assertEquals(503, unavailable.status(), "the backend has no endpoints: Portico answers");
    assertEquals("DENY", unavailable.headers().get("x-frame-options"));
    assertEquals("/headers-empty/b", unavailable.headers().get("x-request-path"));
  }

  @Test
  void aPolicyThatDecidesLaterHoldsTheRequestAndItsBodyUntilThen() throws Exception {
    byte[] upload = new byte[1024 * 1024 + 3];
    new Random(11).nextBytes(upload);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-secret", "s3cret");
    CompletableFuture<HttpProbe.Answer> answer =
        send(HttpMethod.POST, "/later/upload", headers, Buffer.buffer(upload));
    PolicyExchange exchange = parked.poll(10, TimeUnit.SECONDS);
    assertNotNull(exchange, "the policy was not asked");
    assertFalse(answer.isDone());
    assertEquals(0, app.requests(), "nothing goes upstream before the policy decides");

    // Decided on this thread, not the event loop's: the chain goes on there all the same.
    exchange.upstreamUri("/rewritten?x=1");
    exchange.upstreamAuthority("internal.test");
    exchange.setUpstreamHeader("x-checked", "yes");
    exchange.removeUpstreamHeader("x-secret");
    exchange.proceed();

    HttpProbe.Answer done = answer.get(10, TimeUnit.SECONDS);
    assertEquals(200, done.status());
    JsonObject seen = done.json();
    assertEquals("/rewritten?x=1", seen.getString("uri"));
    assertEquals("internal.test", seen.getJsonObject("headers").getString("host"));
    assertEquals("yes", seen.getJsonObject("headers").getString("x-checked"));
    assertNull(seen.getJsonObject("headers").getString("x-secret"));
    assertEquals("app.test", seen.getJsonObject("headers").getString("x-forwarded-host"));
    assertEquals(upload.length, seen.getLong("bodyBytes"));
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload)),
        seen.getString("bodySha256"));
    assertEquals("DENY", done.headers().get("x-frame-options"));
  }

  @Test
  void aGetWaitingForAPolicyGoesUpstreamOnceItProceeds() throws Exception {
    CompletableFuture<HttpProbe.Answer> answer =
        send(HttpMethod.GET, "/later/get", MultiMap.caseInsensitiveMultiMap(), null);
    PolicyExchange exchange = parked.poll(10, TimeUnit.SECONDS);
    assertNotNull(exchange, "the policy was not asked");
    exchange.proceed();
    HttpProbe.Answer done = answer.get(10, TimeUnit.SECONDS);
    assertEquals(200, done.status());
    assertEquals("/later/get", done.json().getString("uri"));
    assertEquals(0, done.json().getLong("bodyBytes"));
  }

  @Test
  void aPolicyThatAnswersLaterAnswersAndDropsTheBody() throws Exception {
    CompletableFuture<HttpProbe.Answer> answer =
        send(
            HttpMethod.PUT,
            "/later/put",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(new byte[256 * 1024]));
    PolicyExchange exchange = parked.poll(10, TimeUnit.SECONDS);
    assertNotNull(exchange, "the policy was not asked");
    exchange.setResponseHeader("www-authenticate", "Basic realm=\"app\"");
    exchange.answer(PolicyAnswer.of(401));
    HttpProbe.Answer done = answer.get(10, TimeUnit.SECONDS);
    assertEquals(401, done.status());
    assertEquals("Basic realm=\"app\"", done.headers().get("www-authenticate"));
    assertEquals("DENY", done.headers().get("x-frame-options"));
    assertEquals(0, app.requests());
  }

  @Test
  void aPolicyThatThrowsIs500AndNothingIsForwarded() throws Exception {
    HttpProbe.Answer answer = client.get("app.test", "/broken");
    assertEquals(500, answer.status());
    assertEquals(0, app.requests());
  }

  private CompletableFuture<HttpProbe.Answer> send(
      HttpMethod method, String uri, MultiMap headers, Buffer body) {
    CompletableFuture<HttpProbe.Answer> answer = new CompletableFuture<>();
    Thread sender =
        new Thread(
            () -> {
              try {
                answer.complete(client.send(method, "app.test", uri, headers, body));
              } catch (Exception | AssertionError e) {
                answer.completeExceptionally(e);
              }
            });
    sender.setDaemon(true);
    sender.start();
    return answer;
  }
}
