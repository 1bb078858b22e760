package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.portico.router.LiveConfig;
import io.portico.router.address.CidrSet;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.address.ClientAddressRules.Source;
import io.portico.router.echo.EchoBackend;
import io.portico.router.policy.HttpsRedirectPolicy;
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
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's address through the real server, in the spirit of ingress-nginx's e2e tests
 * settings/forwarded_headers.go: a trusted front proxy's headers count, an untrusted peer's never
 * change the address that the logs (and every access decision) see. The test client connects from
 * 127.0.0.1.
 */
class ClientAddressIntegrationTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private final ConcurrentLinkedQueue<String> logged = new ConcurrentLinkedQueue<>();
  private EchoBackend app;
  private RouteTable routes;

  @BeforeEach
  void start() throws Exception {
    app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    RouteTableBuilder table = RouteTable.builder();
    table.add(
        new Route(
            HostnamePattern.of("app.test"),
            PathMatch.prefix("/"),
            Backend.of(
                new BackendId("default", "app", "80"),
                List.of(Endpoint.of("127.0.0.1", app.port()))),
            new RouteOrigin("default", "app")));
    table.add(
        new Route(
            HostnamePattern.of("secure.test"),
            PathMatch.prefix("/"),
            Backend.of(
                new BackendId("default", "app", "80"),
                List.of(Endpoint.of("127.0.0.1", app.port()))),
            new RouteOrigin("default", "secure"),
            HttpsPolicy.NONE,
            RoutePolicies.of(HttpsRedirectPolicy.INSTANCE)));
    routes = table.build();
  }

  private HttpProbe proxy(ClientAddressRules rules) throws Exception {
    config.publish(routes, config.current().certificates(), rules);
    ProxySettings settings = ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2);
    TrafficObserver observer =
        new TrafficObserver() {
          @Override
          public void requestEnded(RequestRecord record) {
            logged.add(String.valueOf(record.client()));
          }
        };
    ProxyServer server = await(ProxyServer.start(vertx.vertx(), config, settings, null, observer));
    return new HttpProbe(vertx.vertx(), server.httpPort());
  }

  private static ClientAddressRules trusting(String ranges, Source source, boolean full) {
    return new ClientAddressRules(
        source, ClientAddressRules.X_FORWARDED_FOR, CidrSet.parseList(ranges), full);
  }

  private JsonObject send(HttpProbe client, MultiMap headers) throws Exception {
    HttpProbe.Answer answer = client.send(HttpMethod.GET, "app.test", "/", headers, null);
    assertEquals(200, answer.status());
    return answer.json().getJsonObject("headers");
  }

  private String loggedClient() throws Exception {
    Await.until("the request is logged", Duration.ofSeconds(5), () -> !logged.isEmpty());
    return logged.poll();
  }

  private static MultiMap spoofed() {
    return MultiMap.caseInsensitiveMultiMap()
        .add("X-Forwarded-For", "203.0.113.7")
        .add("X-Forwarded-Proto", "https")
        .add("X-Forwarded-Host", "evil.test")
        .add("X-Forwarded-Port", "8443")
        .add("CF-Connecting-IP", "203.0.113.8");
  }

  @Test
  void byDefaultTheClientIsThePeerWhateverItSends() throws Exception {
    HttpProbe client = proxy(ClientAddressRules.PEER_ONLY);
    JsonObject seen = send(client, spoofed());
    assertEquals("127.0.0.1", seen.getString("x-forwarded-for"));
    assertEquals("127.0.0.1", seen.getString("x-real-ip"));
    assertEquals("203.0.113.7", seen.getString("x-original-forwarded-for"));
    assertEquals("http", seen.getString("x-forwarded-proto"));
    assertEquals("app.test", seen.getString("x-forwarded-host"));
    assertEquals("80", seen.getString("x-forwarded-port"));
    assertEquals("127.0.0.1", loggedClient());
  }

  @Test
  void useForwardedHeadersFromAnUntrustedPeerChangesNothing() throws Exception {
    // use-forwarded-headers on, but proxy-real-ip-cidr does not name the peer.
    HttpProbe client = proxy(trusting("10.0.0.0/8, 2001:db8::/32", Source.FORWARDED_HEADERS, true));
    JsonObject seen = send(client, spoofed());
    assertEquals("127.0.0.1", seen.getString("x-forwarded-for"));
    assertEquals("127.0.0.1", seen.getString("x-real-ip"));
    assertEquals("http", seen.getString("x-forwarded-proto"));
    assertEquals("app.test", seen.getString("x-forwarded-host"));
    assertEquals("127.0.0.1", loggedClient());
  }

  @Test
  void aTrustedPeerNamesTheClientAndHowItAsked() throws Exception {
    HttpProbe client = proxy(trusting("127.0.0.0/8", Source.FORWARDED_HEADERS, false));
    MultiMap headers = spoofed().set("X-Forwarded-For", "198.51.100.1, 203.0.113.7, 127.0.0.5");
    JsonObject seen = send(client, headers);
    // Read from the right, skipping trusted hops: the first untrusted address is the client's.
    assertEquals("203.0.113.7", seen.getString("x-forwarded-for"));
    assertEquals("203.0.113.7", seen.getString("x-real-ip"));
    assertEquals("https", seen.getString("x-forwarded-proto"));
    assertEquals("evil.test", seen.getString("x-forwarded-host"));
    assertEquals("8443", seen.getString("x-forwarded-port"));
    assertEquals("203.0.113.7", loggedClient());
  }

  @Test
  void computeFullForwardedForAppendsThePeer() throws Exception {
    HttpProbe client = proxy(trusting("127.0.0.1", Source.FORWARDED_HEADERS, true));
    JsonObject seen = send(client, spoofed());
    assertEquals("203.0.113.7, 127.0.0.1", seen.getString("x-forwarded-for"));
    assertEquals("203.0.113.7", seen.getString("x-real-ip"));
    assertEquals("203.0.113.7", loggedClient());
  }

  @Test
  void aGarbledHeaderFromATrustedPeerLeavesThePeer() throws Exception {
    HttpProbe client = proxy(trusting("127.0.0.1", Source.FORWARDED_HEADERS, false));
    JsonObject seen =
        send(client, MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "<script>"));
    assertEquals("127.0.0.1", seen.getString("x-forwarded-for"));
    assertEquals("127.0.0.1", loggedClient());
  }

  @Test
  void anotherHeaderNamesTheClientAndTheRequestStaysPortico() throws Exception {
    // enable-real-ip with forwarded-for-header: the address only, not the scheme or host.
    HttpProbe client =
        proxy(
            new ClientAddressRules(
                Source.REAL_IP_HEADER,
                "CF-Connecting-IP",
                CidrSet.parseList("127.0.0.0/8"),
                false));
    JsonObject seen = send(client, spoofed());
    assertEquals("203.0.113.8", seen.getString("x-forwarded-for"));
    assertEquals("203.0.113.8", seen.getString("x-real-ip"));
    assertEquals("http", seen.getString("x-forwarded-proto"));
    assertEquals("app.test", seen.getString("x-forwarded-host"));
    assertEquals("203.0.113.8", loggedClient());
  }

  @Test
  void newRulesApplyToTheNextRequest() throws Exception {
    HttpProbe client = proxy(ClientAddressRules.PEER_ONLY);
    assertEquals("127.0.0.1", send(client, spoofed()).getString("x-forwarded-for"));
    assertEquals("127.0.0.1", loggedClient());
    config.publish(
        routes,
        config.current().certificates(),
        trusting("127.0.0.1", Source.FORWARDED_HEADERS, false));
    assertEquals("203.0.113.7", send(client, spoofed()).getString("x-forwarded-for"));
    assertEquals("203.0.113.7", loggedClient());
  }

  @Test
  void aTrustedProxyTerminatingTlsCausesNoRedirect() throws Exception {
    MultiMap overHttps = MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-Proto", "https");
    HttpProbe untrusting = proxy(trusting("10.0.0.0/8", Source.FORWARDED_HEADERS, false));
    assertEquals(
        308, untrusting.send(HttpMethod.GET, "secure.test", "/", overHttps, null).status());
    HttpProbe trusting = proxy(trusting("127.0.0.1", Source.FORWARDED_HEADERS, false));
    assertEquals(200, trusting.send(HttpMethod.GET, "secure.test", "/", overHttps, null).status());
    HttpProbe.Answer plain =
        trusting.send(
            HttpMethod.GET,
            "secure.test",
            "/",
            MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-Proto", "http"),
            null);
    assertEquals(308, plain.status());
  }

  @Test
  void aRequestWithoutTheHeaderFromATrustedPeerIsThePeers() throws Exception {
    HttpProbe client = proxy(trusting("127.0.0.1", Source.FORWARDED_HEADERS, true));
    JsonObject seen = send(client, MultiMap.caseInsensitiveMultiMap());
    assertEquals("127.0.0.1", seen.getString("x-forwarded-for"));
    assertNull(seen.getString("x-original-forwarded-for"));
    assertEquals("127.0.0.1", loggedClient());
  }
}
