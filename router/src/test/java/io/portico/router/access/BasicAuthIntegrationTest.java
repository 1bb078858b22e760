package io.portico.router.access;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.address.CidrSet;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.echo.EchoBackend;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.proxy.ProxyServer;
import io.portico.router.proxy.ProxySettings;
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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Basic authentication through the real server, in the spirit of ingress-nginx's e2e test
 * annotations/auth.go: 401 with the realm without credentials or with wrong ones, the backend with
 * right ones (bcrypt, checked off the event loop, and MD5-crypt), the body of a waiting request
 * intact, and an allow list checked first.
 */
class BasicAuthIntegrationTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private EchoBackend app;
  private RouteTableBuilder table;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    table = RouteTable.builder();
    ProxyServer server =
        await(
            ProxyServer.start(
                vertx.vertx(), config, ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2)));
    client = new HttpProbe(vertx.vertx(), server.httpPort());
  }

  private void route(String path, RequestPolicy... policies) {
    table.add(
        new Route(
            HostnamePattern.of("app.test"),
            PathMatch.prefix(path),
            Backend.of(
                new BackendId("default", "app", "80"),
                List.of(Endpoint.of("127.0.0.1", app.port()))),
            new RouteOrigin("default", "app"),
            HttpsPolicy.NONE,
            RoutePolicies.of(policies)));
  }

  private void publish(ClientAddressRules rules) {
    config.publish(table.build(), config.current().certificates(), rules);
  }

  private static final BasicCredentials USERS =
      BasicCredentials.parseFile(
              "carol:$2y$05$jyxgHN.me5e/eEW3d3j4TOieaC8.WBaNverh/1JToW9R7i7mBzsJW\n"
                  + "alice:$apr1$U7oixadu$o6TW480cWuwR3ayJ.PIfu.\n")
          .credentials();

  private HttpProbe.Answer send(HttpMethod method, String path, String user, String body)
      throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (user != null) {
      headers.add(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(
        method, "app.test", path, headers, body == null ? null : Buffer.buffer(body));
  }

  @Test
  void credentialsAreRequiredAndChecked() throws Exception {
    route("/", new BasicAuthPolicy("Staff only", USERS));
    publish(ClientAddressRules.PEER_ONLY);
    HttpProbe.Answer none = send(HttpMethod.GET, "/", null, null);
    assertEquals(401, none.status());
    assertEquals("Basic realm=\"Staff only\"", none.headers().get("www-authenticate"));
    assertEquals(401, send(HttpMethod.GET, "/", "carol:wrong", null).status());
    assertEquals(401, send(HttpMethod.GET, "/", "nobody:s3cret", null).status());
    assertEquals(0, app.requests());
    HttpProbe.Answer carol = send(HttpMethod.GET, "/", "carol:s3cret", null);
    assertEquals(200, carol.status());
    assertTrue(
        carol.json().getJsonObject("headers").getString("authorization").startsWith("Basic "));
    assertEquals(200, send(HttpMethod.GET, "/", "alice:wonderland", null).status());
  }

  @Test
  void aBodyWaitsForTheCheckAndArrivesWhole() throws Exception {
    route("/", new BasicAuthPolicy("", USERS));
    publish(ClientAddressRules.PEER_ONLY);
    String body = "x".repeat(200_000);
    HttpProbe.Answer answer = send(HttpMethod.POST, "/", "carol:s3cret", body);
    assertEquals(200, answer.status());
    assertEquals(body.length(), answer.json().getLong("bodyBytes").intValue());
  }

  @Test
  void theSourceRangeIsCheckedBeforeTheCredentials() throws Exception {
    route(
        "/",
        new BasicAuthPolicy("", USERS),
        new SourceRangePolicy(CidrSet.parseList("10.0.0.0/8"), CidrSet.EMPTY));
    publish(ClientAddressRules.PEER_ONLY);
    assertEquals(403, send(HttpMethod.GET, "/", "carol:s3cret", null).status());
    assertEquals(403, send(HttpMethod.GET, "/", null, null).status());
  }
}
