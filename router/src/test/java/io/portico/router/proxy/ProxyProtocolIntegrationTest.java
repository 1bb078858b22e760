package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.portico.router.LiveConfig;
import io.portico.router.address.CidrSet;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.address.ClientAddressRules.Source;
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
import io.portico.router.testing.RawClient;
import io.portico.router.testing.TestVertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PROXY protocol on the listeners ({@code use-proxy-protocol}), in the spirit of
 * ingress-nginx's e2e test settings/proxy_protocol.go: the address of a header from a trusted load
 * balancer is the client's, in v1 and v2; a header from an untrusted peer changes nothing; a
 * connection without a header is closed unanswered. The test's "load balancer" connects from
 * 127.0.0.1.
 */
class ProxyProtocolIntegrationTest {

  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);
  private static final String REQUEST =
      "GET / HTTP/1.1\r\nHost: app.test\r\nX-Forwarded-For: 198.51.100.9\r\n"
          + "Connection: close\r\n\r\n";

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private final ConcurrentLinkedQueue<String> logged = new ConcurrentLinkedQueue<>();
  private RouteTable routes;

  @BeforeEach
  void start() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    RouteTableBuilder table = RouteTable.builder();
    table.add(
        new Route(
            HostnamePattern.of("app.test"),
            PathMatch.prefix("/"),
            Backend.of(
                new BackendId("default", "app", "80"),
                List.of(Endpoint.of("127.0.0.1", app.port()))),
            new RouteOrigin("default", "app")));
    routes = table.build();
  }

  private int proxy(String trusted) throws Exception {
    return start(trusted, null).httpPort();
  }

  private ProxyServer start(String trusted, @Nullable HttpsSettings https) throws Exception {
    ClientAddressRules rules =
        trusted.isEmpty()
            ? ClientAddressRules.PEER_ONLY
            : new ClientAddressRules(
                Source.PEER, ClientAddressRules.X_FORWARDED_FOR, CidrSet.parseList(trusted), false);
    config.publish(routes, config.current().certificates(), rules);
    ProxySettings settings =
        ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1).withProxyProtocol(true);
    TrafficObserver observer =
        new TrafficObserver() {
          @Override
          public void requestEnded(RequestRecord record) {
            logged.add(String.valueOf(record.client()));
          }
        };
    return await(ProxyServer.start(vertx.vertx(), config, settings, https, observer));
  }

  /** The request headers the backend saw, from a whole answer. */
  private static JsonObject seen(String answer) {
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    return new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4))
        .getJsonObject("headers");
  }

  private String loggedClient() throws Exception {
    Await.until("the request is logged", ANSWER_WITHIN, () -> !logged.isEmpty());
    return logged.poll();
  }

  /** A PROXY v2 header for TCP over IPv4 from {@code source}:51234 to 10.0.0.1:80. */
  private static byte[] v2Header(int[] source) {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.writeBytes(
        new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    header.write(0x21); // version 2, PROXY
    header.write(0x11); // TCP over IPv4
    header.writeBytes(new byte[] {0x00, 12});
    for (int octet : source) {
      header.write(octet);
    }
    header.writeBytes(new byte[] {10, 0, 0, 1});
    header.writeBytes(new byte[] {(byte) 0xC8, 0x22, 0x00, 0x50});
    return header.toByteArray();
  }

  @Test
  void aV1HeaderFromATrustedBalancerNamesTheClient() throws Exception {
    int port = proxy("127.0.0.1");
    try (RawClient raw = new RawClient(port)) {
      raw.write("PROXY TCP4 203.0.113.7 10.0.0.1 51234 80\r\n" + REQUEST);
      JsonObject headers = seen(raw.readUntilClosed(ANSWER_WITHIN));
      assertEquals("203.0.113.7", headers.getString("x-forwarded-for"));
      assertEquals("203.0.113.7", headers.getString("x-real-ip"));
    }
    assertEquals("203.0.113.7", loggedClient());
  }

  @Test
  void aV2HeaderFromATrustedBalancerNamesTheClient() throws Exception {
    int port = proxy("127.0.0.0/8");
    try (RawClient raw = new RawClient(port)) {
      raw.write(v2Header(new int[] {203, 0, 113, 8}));
      raw.write(REQUEST);
      JsonObject headers = seen(raw.readUntilClosed(ANSWER_WITHIN));
      assertEquals("203.0.113.8", headers.getString("x-forwarded-for"));
    }
    assertEquals("203.0.113.8", loggedClient());
  }

  @Test
  void theHttpsListenerReadsTheHeaderBeforeTheHandshake() throws Exception {
    int port = start("127.0.0.1", HttpsSettings.defaults(0)).httpsPort();
    SSLContext context = SSLContext.getInstance("TLS");
    // Any certificate: this test is about the address, not the certificate.
    context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
    try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
      plain
          .getOutputStream()
          .write(
              "PROXY TCP4 203.0.113.7 10.0.0.1 51234 443\r\n".getBytes(StandardCharsets.US_ASCII));
      try (SSLSocket tls =
          (SSLSocket) context.getSocketFactory().createSocket(plain, "app.test", port, true)) {
        tls.setSoTimeout((int) ANSWER_WITHIN.toMillis());
        tls.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
        String answer = new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("203.0.113.7", seen(answer).getString("x-forwarded-for"));
      }
    }
  }

  @Test
  void aHeaderFromAnUntrustedPeerChangesNothing() throws Exception {
    // proxy-real-ip-cidr names other load balancers, not the peer.
    int port = proxy("10.0.0.0/8");
    try (RawClient raw = new RawClient(port)) {
      raw.write("PROXY TCP4 203.0.113.7 10.0.0.1 51234 80\r\n" + REQUEST);
      JsonObject headers = seen(raw.readUntilClosed(ANSWER_WITHIN));
      assertEquals("127.0.0.1", headers.getString("x-forwarded-for"));
      assertEquals("198.51.100.9", headers.getString("x-original-forwarded-for"));
    }
    assertEquals("127.0.0.1", loggedClient());
  }

  @Test
  void nothingIsTrustedByDefault() throws Exception {
    int port = proxy("");
    try (RawClient raw = new RawClient(port)) {
      raw.write("PROXY TCP4 203.0.113.7 10.0.0.1 51234 80\r\n" + REQUEST);
      assertEquals(
          "127.0.0.1", seen(raw.readUntilClosed(ANSWER_WITHIN)).getString("x-forwarded-for"));
    }
  }

  @Test
  void aConnectionWithoutAHeaderIsClosedUnanswered() throws Exception {
    int port = proxy("127.0.0.1");
    try (RawClient raw = new RawClient(port)) {
      raw.write(REQUEST);
      String answer = raw.readUntilClosed(ANSWER_WITHIN);
      assertTrue(raw.closedByServer(), "closed");
      assertFalse(answer.contains("HTTP/1.1 200"), answer);
      assertEquals("", answer, "nothing is answered");
    }
  }
}
