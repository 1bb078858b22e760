package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.portico.router.testing.RawClient;
import io.portico.router.testing.TestVertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What is routed is what the backend gets: a request whose path a backend would read as another
 * path than the one Portico matched, or whose Host is not one host, is refused at the edge with 400
 * and never forwarded. {@code /public} of {@code a.test} goes to the public backend; {@code /admin}
 * of {@code a.test} is not routed at all, so any request that reaches the admin path through the
 * public rule is the bug.
 */
class RequestTargetIntegrationTest {

  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private EchoBackend publicApp;
  private EchoBackend other;

  @BeforeEach
  void start() throws Exception {
    publicApp = await(EchoBackend.start(vertx.vertx(), "public", "127.0.0.1", 0));
    other = await(EchoBackend.start(vertx.vertx(), "other", "127.0.0.1", 0));
    RouteTableBuilder table = RouteTable.builder();
    route(table, "a.test", "/public", "public-svc", publicApp);
    route(table, "b.test", "/", "other-svc", other);
    route(table, null, "/", "other-svc", other);
    config.publish(table.build());
  }

  private static void route(
      RouteTableBuilder table, String host, String path, String svc, EchoBackend backend) {
    table.add(
        new Route(
            HostnamePattern.of(host),
            PathMatch.prefix(path),
            Backend.of(
                new BackendId("default", svc, "80"),
                List.of(Endpoint.of("127.0.0.1", backend.port()))),
            new RouteOrigin("default", "app")));
  }

  private ProxyServer proxy(ProxySettings settings) throws Exception {
    return await(ProxyServer.start(vertx.vertx(), config, settings));
  }

  private ProxyServer proxy() throws Exception {
    return proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1));
  }

  /** Sends {@code head} (a request line and headers) and returns the answer's head. */
  private static String exchange(int port, String head) throws Exception {
    try (RawClient raw = new RawClient(port)) {
      return raw.write(head).readUntil("\r\n\r\n", ANSWER_WITHIN);
    }
  }

  private static String get(int port, String target) throws Exception {
    return exchange(port, "GET " + target + " HTTP/1.1\r\nHost: a.test\r\n\r\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/public/..;/admin", // Tomcat and Spring drop the parameter, then the dot segment
        "/public/.;x/../..;/admin",
        "/public/%2e%2e;/admin",
        "/public/..%3B/admin",
        "/public/..\\admin", // WHATWG URL parsers and IIS read \ as /
        "/public/..%5Cadmin",
        "/public/..%5cadmin",
        "/public/..%2Fadmin", // a backend that decodes %2F before routing
        "/public/..%2fadmin",
        "/public/x%00.png", // C strings end at NUL
        "/public/a%0D%0AX-Injected:%201",
        "/public/a\u0001b",
        "/public/a?q=\u0001"
      })
  void pathsThatBackendsReadDifferentlyAre400AndNeverForwarded(String target) throws Exception {
    ProxyServer proxy = proxy();
    String answer = get(proxy.httpPort(), target);
    assertTrue(answer.startsWith("HTTP/1.1 400"), target + " -> " + answer);
    assertEquals(0, publicApp.requests() + other.requests());
  }

  @Test
  void aParameterOnAnOrdinarySegmentIsKept() throws Exception {
    ProxyServer proxy = proxy();
    String answer = get(proxy.httpPort(), "/public/app;jsessionid=1/x");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertEquals(1, publicApp.requests());
  }

  @Test
  void encodedSlashesPassWhenTheSwitchAllowsThem() throws Exception {
    ProxyServer proxy =
        proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1).withEncodedSlashes(true));
    String answer;
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      answer =
          raw.write("GET /public/docs%2Fv1 HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n")
              .readUntilClosed(ANSWER_WITHIN);
    }
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.contains("\"uri\" : \"/public/docs%2Fv1\""), answer);
    // The other refusals stay.
    assertTrue(get(proxy.httpPort(), "/public/..%5Cadmin").startsWith("HTTP/1.1 400"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/public/a b", "/public/a\tb", "/public/a?q=1 2"})
  void whitespaceInAnHttp2PathIs400InsteadOfAHang(String path) throws Exception {
    ProxyServer proxy =
        proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1).withH2cPriorKnowledge(true));
    HttpClient h2 =
        vertx
            .vertx()
            .createHttpClient(
                new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
    int status =
        h2.request(
                new RequestOptions()
                    .setServer(SocketAddress.inetSocketAddress(proxy.httpPort(), "127.0.0.1"))
                    .setHost("a.test")
                    .setURI(path))
            .compose(request -> request.send())
            .map(response -> response.statusCode())
            .toCompletionStage()
            .toCompletableFuture()
            .get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
    assertEquals(400, status, path);
    assertEquals(0, publicApp.requests());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /public HTTP/1.1\r\nHost: evil@a.test\r\n\r\n",
        "GET /public HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n",
        "GET /public HTTP/1.1\r\nHost: b.test\r\nHost: a.test\r\n\r\n",
        "GET /public HTTP/1.1\r\n\r\n",
        "GET /public HTTP/1.1\r\nHost: a.test:99999\r\n\r\n",
        "GET /public HTTP/1.1\r\nHost: a.test/x\r\n\r\n",
        "GET http://evil@a.test/public HTTP/1.1\r\nHost: a.test\r\n\r\n",
        "GET http:///public HTTP/1.1\r\nHost: a.test\r\n\r\n"
      })
  void aRequestWithoutOneValidHostIs400(String request) throws Exception {
    ProxyServer proxy = proxy();
    String answer = exchange(proxy.httpPort(), request);
    assertTrue(answer.startsWith("HTTP/1.1 400"), request + " -> " + answer);
    assertEquals(0, publicApp.requests() + other.requests());
  }

  @Test
  void anHttp10RequestWithoutHostGoesToTheRulesWithoutAHost() throws Exception {
    ProxyServer proxy = proxy();
    String answer;
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      answer = raw.write("GET /public HTTP/1.0\r\n\r\n").readUntilClosed(ANSWER_WITHIN);
    }
    assertTrue(answer.startsWith("HTTP/1.0 200"), answer);
    assertTrue(answer.contains("\"backend\" : \"other\""), answer);
  }

  @Test
  void anAbsoluteFormTargetsAuthorityWinsOverHost() throws Exception {
    ProxyServer proxy = proxy();
    String answer;
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      answer =
          raw.write(
                  "GET http://a.test/public/x HTTP/1.1\r\nHost: b.test\r\nConnection: close\r\n\r\n")
              .readUntilClosed(ANSWER_WITHIN);
    }
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.contains("\"backend\" : \"public\""), answer);
    // What the backend is told matches what was routed.
    assertTrue(answer.contains("\"host\" : \"a.test\""), answer);
    assertTrue(answer.contains("\"x-forwarded-host\" : \"a.test\""), answer);
    assertTrue(answer.contains("\"uri\" : \"/public/x\""), answer);
  }
}
