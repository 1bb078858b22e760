package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import io.portico.router.testing.LogCapture;
import io.portico.router.testing.RawClient;
import io.portico.router.testing.TestVertx;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a tenant (who writes Services and Ingresses) or a client (who writes requests) can make
 * Portico reach or believe: ExternalName targets are checked where they resolve, HTTP/2 cannot be
 * smuggled in through an HTTP/1.1 upgrade, and the forwarded headers are Portico's alone.
 */
class TenantIsolationIntegrationTest {

  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private EchoBackend app;

  @BeforeEach
  void start() throws Exception {
    // On every interface, so that Portico's own address reaches it too.
    app = await(EchoBackend.start(vertx.vertx(), "app", "0.0.0.0", 0));
  }

  private void routes(Endpoint... endpoints) {
    RouteTableBuilder table = RouteTable.builder();
    for (int i = 0; i < endpoints.length; i++) {
      table.add(
          new Route(
              HostnamePattern.of("a.test"),
              PathMatch.prefix("/t" + i),
              Backend.of(new BackendId("tenant", "svc-" + i, "80"), List.of(endpoints[i])),
              new RouteOrigin("tenant", "ing")));
    }
    config.publish(table.build());
  }

  private ProxyServer proxy(ProxySettings settings) throws Exception {
    return await(ProxyServer.start(vertx.vertx(), config, settings));
  }

  private ProxyServer proxy() throws Exception {
    return proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1));
  }

  private static String exchange(int port, String request) throws Exception {
    try (RawClient raw = new RawClient(port)) {
      return raw.write(request).readResponse(ANSWER_WITHIN);
    }
  }

  private static String get(int port, String path) throws Exception {
    return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "localhost.",
        "127.0.0.1",
        "127.1.2.3",
        "0.0.0.0",
        "::1",
        "::ffff:127.0.0.1",
        "169.254.169.254"
      })
  void anExternalNameThatResolvesWhereOnlyPorticoCouldReachIs502AndAWarning(String name)
      throws Exception {
    routes(Endpoint.externalName(name, app.port()));
    ProxyServer proxy = proxy();
    try (LogCapture logs = new LogCapture()) {
      String answer = get(proxy.httpPort(), "/t0/x");
      assertTrue(answer.startsWith("HTTP/1.1 502"), name + " -> " + answer);
      assertFalse(answer.contains(name), "the answer names no address: " + answer);
      Await.until(
          "a warning naming the Service",
          ANSWER_WITHIN,
          () -> logs.text().contains("event=upstream_refused service=tenant/svc-0"));
    }
    assertEquals(0, app.requests());
  }

  @Test
  void anExternalNameThatResolvesToPorticosOwnAddressIs502() throws Exception {
    InetAddress own = nonLoopbackAddress();
    assumeTrue(own != null, "this host has no address but loopback");
    routes(Endpoint.externalName(own.getHostAddress(), app.port()));
    ProxyServer proxy = proxy(ProxySettings.defaults("0.0.0.0", 0).withEventLoops(1));
    String answer = get(proxy.httpPort(), "/t0/x");
    assertTrue(answer.startsWith("HTTP/1.1 502"), answer);
    assertEquals(0, app.requests());
  }

  @Test
  void anEndpointOfTheClustersEndpointListsIsNotJudgedByTheGuard() throws Exception {
    // Pods on the node's network, the demo's local backends: endpoint lists are trusted as they
    // are; only ExternalName, which any tenant can point anywhere, is checked.
    routes(Endpoint.of("127.0.0.1", app.port()));
    assertTrue(get(proxy().httpPort(), "/t0/x").startsWith("HTTP/1.1 200"));
  }

  @Test
  void anHttp11UpgradeToH2cIsNotOffered() throws Exception {
    routes(Endpoint.of("127.0.0.1", app.port()));
    ProxyServer proxy = proxy();
    String answer =
        exchange(
            proxy.httpPort(),
            "GET /t0/x HTTP/1.1\r\nHost: a.test\r\nConnection: Upgrade, HTTP2-Settings, close\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n");
    // Served as the HTTP/1.1 request it also is; the backend is offered no upgrade either.
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertFalse(answer.contains("\"upgrade\""), answer);
    assertFalse(answer.contains("\"http2-settings\""), answer);
  }

  @Test
  void withPriorKnowledgeOnAnUpgradeToH2cIsClosedBeforeAnythingIsServed() throws Exception {
    // Vert.x flushes its 101 with the server preface before any hook of Portico runs; Portico
    // closes the connection right after, before it reads a frame: the upgraded request is never
    // served, and whatever tunnel a load balancer in front opened for it is gone.
    routes(Endpoint.of("127.0.0.1", app.port()));
    ProxyServer proxy =
        proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1).withH2cPriorKnowledge(true));
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      raw.write(
          "GET /t0/x HTTP/1.1\r\nHost: a.test\r\nConnection: Upgrade, HTTP2-Settings\r\n"
              + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n");
      raw.readUntilClosed(ANSWER_WITHIN);
      assertTrue(raw.closedByServer(), "the connection closes: " + raw.text());
    }
    assertEquals(0, app.requests());
  }

  @Test
  void priorKnowledgeIsOffByDefault() throws Exception {
    routes(Endpoint.of("127.0.0.1", app.port()));
    ProxyServer proxy = proxy();
    String answer;
    try (RawClient raw = new RawClient(proxy.httpPort())) {
      // The HTTP/2 connection preface, then an empty SETTINGS frame.
      answer =
          raw.write(
                  "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000")
              .readUntilClosed(ANSWER_WITHIN);
    }
    // Read as an HTTP/1.x request line (and refused) or closed: never an HTTP/2 SETTINGS frame.
    assertTrue(answer.isEmpty() || answer.startsWith("HTTP/"), answer);
    assertEquals(0, app.requests());
  }

  @Test
  void forwardedHeadersArePorticosAndAConnectionHeaderCannotRemoveThem() throws Exception {
    routes(Endpoint.of("127.0.0.1", app.port()));
    ProxyServer proxy = proxy();
    String answer =
        exchange(
            proxy.httpPort(),
            "GET /t0/x HTTP/1.1\r\nHost: a.test\r\n"
                + "X-Forwarded-For: 203.0.113.7, 10.0.0.1\r\nX-Real-IP: 203.0.113.8\r\n"
                + "X-Forwarded-Host: evil.test\r\nX-Original-Forwarded-For: 198.51.100.1\r\n"
                + "Connection: close, x-forwarded-for, x-real-ip, x-forwarded-host,"
                + " x-forwarded-proto, x-forwarded-port, x-original-forwarded-for\r\n\r\n");
    JsonObject seen = body(answer).getJsonObject("headers");
    assertEquals("127.0.0.1", seen.getString("x-forwarded-for"));
    assertEquals("127.0.0.1", seen.getString("x-real-ip"));
    assertEquals("a.test", seen.getString("x-forwarded-host"));
    assertEquals("http", seen.getString("x-forwarded-proto"));
    assertEquals("80", seen.getString("x-forwarded-port"));
    // What the client claimed, as it claimed it, and only that.
    assertEquals("203.0.113.7, 10.0.0.1", seen.getString("x-original-forwarded-for"));
  }

  @Test
  void withoutAForwardedForOfItsOwnNoOriginalIsSent() throws Exception {
    routes(Endpoint.of("127.0.0.1", app.port()));
    ProxyServer proxy = proxy();
    String answer =
        exchange(
            proxy.httpPort(),
            "GET /t0/x HTTP/1.1\r\nHost: a.test\r\nX-Original-Forwarded-For: 198.51.100.1\r\n"
                + "Connection: close\r\n\r\n");
    assertNull(body(answer).getJsonObject("headers").getString("x-original-forwarded-for"));
  }

  @Test
  void aConnectionHeaderNamingContentLengthCannotUnframeABody() throws Exception {
    routes(Endpoint.of("127.0.0.1", app.port()));
    ProxyServer proxy = proxy();
    String answer =
        exchange(
            proxy.httpPort(),
            "POST /t0/x HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n"
                + "Connection: close, content-length\r\n\r\nhello");
    JsonObject seen = body(answer);
    assertEquals(5, seen.getLong("bodyBytes"), answer);
  }

  private static JsonObject body(String answer) {
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    return new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
  }

  private static InetAddress nonLoopbackAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
          return address;
        }
      }
    }
    return null;
  }
}
