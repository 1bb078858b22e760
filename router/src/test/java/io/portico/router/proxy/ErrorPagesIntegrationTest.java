package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.portico.router.LiveConfig;
import io.portico.router.echo.EchoBackend;
import io.portico.router.policy.DefaultBackendHeadersPolicy;
import io.portico.router.policy.ErrorPageContext;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Canaries;
import io.portico.router.route.Endpoint;
import io.portico.router.route.ErrorPages;
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
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code custom-http-errors} with {@code default-backend}, through the real server (ingress-nginx's
 * customhttperrors.go, disableproxyintercepterrors.go and default_backend.go): the listed statuses
 * are replaced by the error backend's answer, which is told why.
 */
class ErrorPagesIntegrationTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private final AtomicInteger appRequests = new AtomicInteger();
  private EchoBackend errors;
  private Backend app;
  private Backend errorBackend;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    // The application: 404 for /missing, 500 for /broken, 200 otherwise.
    HttpServer server =
        await(
            vertx
                .vertx()
                .createHttpServer()
                .requestHandler(
                    request -> {
                      appRequests.incrementAndGet();
                      int status =
                          request.path().startsWith("/missing")
                              ? 404
                              : request.path().startsWith("/broken") ? 500 : 200;
                      request
                          .response()
                          .setStatusCode(status)
                          .putHeader("x-from", "app")
                          .end("app says " + status);
                    })
                .listen(0, "127.0.0.1"));
    errors = await(EchoBackend.start(vertx.vertx(), "errors", "127.0.0.1", 0));
    app =
        Backend.of(
            new BackendId("default", "app-svc", "http"),
            List.of(Endpoint.of("127.0.0.1", server.actualPort())));
    errorBackend =
        Backend.of(
            new BackendId("default", "errors-svc", "80"),
            List.of(Endpoint.of("127.0.0.1", errors.port())));
    ProxySettings settings = ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2);
    ProxyServer proxy = await(ProxyServer.start(vertx.vertx(), config, settings));
    client = new HttpProbe(vertx.vertx(), proxy.httpPort());
  }

  private static final ErrorPageContext CONTEXT =
      new ErrorPageContext("default", "pie.foo.com", "app-svc", "http");

  private Route route(String path, Backend backend, ErrorPages pages, RoutePolicies policies) {
    return new Route(
        HostnamePattern.of("app.test"),
        PathMatch.prefix(path),
        backend,
        new RouteOrigin("default", "pie.foo.com"),
        HttpsPolicy.NONE,
        policies,
        Canaries.NONE,
        Optional.empty(),
        pages);
  }

  private void publish(Route... routes) {
    RouteTableBuilder table = RouteTable.builder();
    for (Route route : routes) {
      table.add(route);
    }
    config.publish(table.build());
  }

  private ErrorPages pages(Integer... statuses) {
    return new ErrorPages(List.of(statuses), errorBackend, CONTEXT);
  }

  @Test
  void aListedStatusIsReplacedByTheErrorBackendsAnswer() throws Exception {
    publish(route("/", app, pages(404, 503), RoutePolicies.NONE));
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("accept", "text/html")
            .add("x-request-id", "proxy_intercept_errors");
    HttpProbe.Answer answer =
        client.send(HttpMethod.GET, "app.test", "/missing/page?lang=en", headers, null);
    // disableproxyintercepterrors.go: the client gets the error backend's 200.
    assertEquals(200, answer.status());
    assertEquals("errors", answer.backend());
    JsonObject seen = answer.json();
    assertEquals("GET", seen.getString("method"));
    assertEquals("/?lang=en", seen.getString("uri"), "path / with the original query");
    JsonObject sent = seen.getJsonObject("headers");
    assertEquals("404", sent.getString("x-code"));
    assertEquals("text/html", sent.getString("x-format"));
    assertEquals("/missing/page?lang=en", sent.getString("x-original-uri"));
    assertEquals("default", sent.getString("x-namespace"));
    assertEquals("pie.foo.com", sent.getString("x-ingress-name"));
    assertEquals("app-svc", sent.getString("x-service-name"));
    assertEquals("http", sent.getString("x-service-port"));
    assertEquals("proxy_intercept_errors", sent.getString("x-request-id"));
    assertEquals("app.test", sent.getString("host"));
    assertNull(answer.headers().get("x-from"), "nothing of the backend's answer is sent");
  }

  @Test
  void theClientGetsTheErrorBackendsOwnStatus() throws Exception {
    publish(route("/", app, pages(404), RoutePolicies.NONE));
    // The echo backend answers the status its query asks for; the query reaches it.
    HttpProbe.Answer answer = client.get("app.test", "/missing?status=410");
    assertEquals(410, answer.status());
    assertEquals("404", answer.json().getJsonObject("headers").getString("x-code"));
  }

  @Test
  void otherStatusesAndOtherRoutesPassThrough() throws Exception {
    publish(
        route("/", app, pages(404), RoutePolicies.NONE),
        route("/plain", app, null, RoutePolicies.NONE));
    HttpProbe.Answer broken = client.get("app.test", "/broken");
    assertEquals(500, broken.status());
    assertEquals("app says 500", broken.text());
    assertEquals("app", broken.headers().get("x-from"));
    assertEquals(200, client.get("app.test", "/ok").status());
    assertEquals(0, errors.requests());
    publish(route("/missing", app, null, RoutePolicies.NONE));
    assertEquals(404, client.get("app.test", "/missing").status());
    assertEquals(0, errors.requests());
  }

  @Test
  void aBodyIsNotSentToTheErrorBackendAndTheConnectionCarriesOn() throws Exception {
    publish(route("/", app, pages(404), RoutePolicies.NONE));
    for (int i = 0; i < 3; i++) {
      HttpProbe.Answer answer =
          client.send(
              HttpMethod.POST,
              "app.test",
              "/missing",
              MultiMap.caseInsensitiveMultiMap(),
              Buffer.buffer(new byte[64 * 1024]));
      assertEquals(200, answer.status());
      assertEquals("POST", answer.json().getString("method"));
      assertEquals(0, answer.json().getLong("bodyBytes"));
    }
  }

  @Test
  void portico503sAndBadGatewaysAreErrorPagesToo() throws Exception {
    Backend empty = Backend.of(new BackendId("default", "invalid", "80"), List.of());
    // A port nothing listens on: connect refused, 502.
    Backend refused =
        Backend.of(new BackendId("default", "gone", "80"), List.of(Endpoint.of("127.0.0.1", 1)));
    publish(
        route("/empty", empty, pages(503), RoutePolicies.NONE),
        route("/gone", refused, pages(502), RoutePolicies.NONE),
        route("/unlisted", empty, pages(404), RoutePolicies.NONE));
    HttpProbe.Answer noEndpoints = client.get("app.test", "/empty");
    assertEquals(200, noEndpoints.status());
    assertEquals("503", noEndpoints.json().getJsonObject("headers").getString("x-code"));
    HttpProbe.Answer badGateway = client.get("app.test", "/gone");
    assertEquals(200, badGateway.status());
    assertEquals("502", badGateway.json().getJsonObject("headers").getString("x-code"));
    assertEquals(503, client.get("app.test", "/unlisted").status());
  }

  @Test
  void anErrorBackendWithoutEndpointsIsPorticos503() throws Exception {
    Backend gone = Backend.of(new BackendId("default", "errors-svc", "80"), List.of());
    publish(route("/", app, new ErrorPages(List.of(404), gone, CONTEXT), RoutePolicies.NONE));
    assertEquals(503, client.get("app.test", "/missing").status());
  }

  @Test
  void theDefaultBackendAnswersForAServiceWithoutEndpoints() throws Exception {
    // default_backend.go: what the translation makes of a rule whose Service has no endpoints and
    // an Ingress with default-backend: the default backend, told why, with the original URI.
    publish(
        route(
            "/",
            errorBackend,
            null,
            RoutePolicies.of(
                new DefaultBackendHeadersPolicy(
                    new ErrorPageContext("default", "default-backend", "invalid", "80")))));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-request-id", "something-unique");
    HttpProbe.Answer answer = client.send(HttpMethod.GET, "app.test", "/alma/armud", headers, null);
    assertEquals(200, answer.status());
    JsonObject seen = answer.json();
    assertEquals("/alma/armud", seen.getString("uri"));
    JsonObject sent = seen.getJsonObject("headers");
    assertEquals("503", sent.getString("x-code"));
    assertEquals("default-backend", sent.getString("x-ingress-name"));
    assertEquals("invalid", sent.getString("x-service-name"));
    assertEquals("something-unique", sent.getString("x-request-id"));
    assertNull(sent.getString("x-original-uri"));
  }
}
