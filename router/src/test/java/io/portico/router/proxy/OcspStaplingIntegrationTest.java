package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.portico.router.LiveConfig;
import io.portico.router.route.RouteTable;
import io.portico.router.testing.Await;
import io.portico.router.testing.LogCapture;
import io.portico.router.testing.OcspResponder;
import io.portico.router.testing.TestVertx;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateSet;
import io.portico.tls.KeyType;
import io.portico.tls.TlsKeyPair;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OCSP stapling ({@code enable-ocsp}) through the real HTTPS listener, ported in spirit from
 * ingress-nginx's {@code test/e2e/settings/ocsp}: a local responder, a certificate whose Authority
 * Information Access names it, and a JDK client that asks for the status and reads what was
 * stapled.
 */
class OcspStaplingIntegrationTest {

  private static final String HOST = "ocsp.test";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static TlsKeyPair ca;
  private static TlsKeyPair impostor;

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private OcspResponder responder;
  private LiveConfig config;

  @BeforeAll
  static void authorities() {
    // The JDK client sends status_request by default; said here so that the test does not depend
    // on it.
    System.setProperty("jdk.tls.client.enableStatusRequestExtension", "true");
    Instant now = Instant.now();
    ca =
        CertificateGenerator.certificateAuthority(
            "OCSP CA", KeyType.EC_P256, Duration.ofDays(30), now);
    impostor =
        CertificateGenerator.certificateAuthority(
            "Impostor CA", KeyType.EC_P256, Duration.ofDays(30), now);
  }

  @AfterEach
  void stopResponder() throws Exception {
    if (responder != null) {
      responder.close();
    }
  }

  /** A leaf for {@link #HOST} naming {@code responderUrl}, served with its CA after it. */
  private static TlsKeyPair leaf(String responderUrl) {
    TlsKeyPair leaf =
        CertificateGenerator.signedBy(
            ca,
            CertificateGenerator.LeafRequest.builder()
                .dnsName(HOST)
                .validity(Duration.ofDays(7))
                .ocspResponder(responderUrl)
                .build(),
            Instant.now());
    return TlsKeyPair.of(leaf.privateKey(), List.of(leaf.leaf(), ca.leaf()))
        .withSource("default/ocsp-tls");
  }

  private ProxyServer start(TlsKeyPair served, TlsEngine engine, boolean ocsp) throws Exception {
    CertificateSet set =
        CertificateSet.builder(CertificateGenerator.defaultCertificate(Instant.now()))
            .addFromSans(served)
            .build();
    config = new LiveConfig(set);
    config.publish(RouteTable.builder().build(), set);
    return await(
        ProxyServer.start(
            vertx.vertx(),
            config,
            ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1),
            HttpsSettings.defaults(0).withEngine(engine).withOcspStapling(ocsp)));
  }

  /** Handshakes with SNI {@link #HOST}, asking for the status; the responses stapled. */
  private static List<byte[]> stapled(int port, String protocol) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
    try (SSLSocket socket =
        (SSLSocket)
            context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(HOST)));
      parameters.setProtocols(new String[] {protocol});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return ((ExtendedSSLSession) socket.getSession()).getStatusResponses();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void aGoodResponseIsStapled(String protocol) throws Exception {
    responder = OcspResponder.start(vertx.vertx(), ca, impostor);
    ProxyServer proxy = start(leaf(responder.url()), TlsEngine.OPENSSL, true);
    Await.until("a stapled response", WAIT, () -> stapled(proxy.httpsPort(), protocol).size() == 1);
    List<byte[]> responses = stapled(proxy.httpsPort(), protocol);
    assertEquals("good", OcspResponder.status(responses.get(0)));
  }

  @Test
  void aRevokedCertificateGetsNoStapleAndAWarningNamingTheSecret() throws Exception {
    responder = OcspResponder.start(vertx.vertx(), ca, impostor);
    responder.answer(OcspResponder.Answer.REVOKED);
    try (LogCapture log = new LogCapture()) {
      ProxyServer proxy = start(leaf(responder.url()), TlsEngine.OPENSSL, true);
      Await.until(
          "the refusal logged", WAIT, () -> log.text().contains("event=ocsp_response_refused"));
      assertTrue(log.text().contains("secret=default/ocsp-tls"), log.text());
      assertTrue(log.text().contains("status: revoked"), log.text());
      assertEquals(List.of(), stapled(proxy.httpsPort(), "TLSv1.3"));
    }
  }

  @Test
  void aResponseNotSignedByTheIssuerIsNotStapled() throws Exception {
    responder = OcspResponder.start(vertx.vertx(), ca, impostor);
    responder.answer(OcspResponder.Answer.BADLY_SIGNED);
    try (LogCapture log = new LogCapture()) {
      ProxyServer proxy = start(leaf(responder.url()), TlsEngine.OPENSSL, true);
      Await.until(
          "the refusal logged", WAIT, () -> log.text().contains("event=ocsp_response_refused"));
      assertTrue(log.text().contains("signature:"), log.text());
      assertEquals(List.of(), stapled(proxy.httpsPort(), "TLSv1.3"));
    }
  }

  @Test
  void anUnreachableResponderLeavesHandshakesUnstapledAndWorking() throws Exception {
    int closedPort;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = closed.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/";
    try (LogCapture log = new LogCapture()) {
      ProxyServer proxy = start(leaf(url), TlsEngine.OPENSSL, true);
      Await.until("the failure logged", WAIT, () -> log.text().contains("event=ocsp_fetch_failed"));
      assertTrue(log.text().contains("secret=default/ocsp-tls"), log.text());
      assertEquals(List.of(), stapled(proxy.httpsPort(), "TLSv1.3"));
    }
  }

  @Test
  void offByDefaultNothingIsFetchedOrStapled() throws Exception {
    responder = OcspResponder.start(vertx.vertx(), ca, impostor);
    ProxyServer proxy = start(leaf(responder.url()), TlsEngine.OPENSSL, false);
    assertEquals(List.of(), stapled(proxy.httpsPort(), "TLSv1.3"));
    assertNull(proxy.ocspStapler());
    assertEquals(0, responder.requests());
  }

  @Test
  void theJdkEngineStaplesNothingAndFetchesNothing() throws Exception {
    responder = OcspResponder.start(vertx.vertx(), ca, impostor);
    try (LogCapture log = new LogCapture()) {
      ProxyServer proxy = start(leaf(responder.url()), TlsEngine.JDK, true);
      assertTrue(log.text().contains("event=ocsp_stapling_unavailable engine=jdk"), log.text());
      assertEquals(List.of(), stapled(proxy.httpsPort(), "TLSv1.3"));
      assertNull(proxy.ocspStapler());
      assertEquals(0, responder.requests());
    }
  }

  @Test
  void aCertificateThatGoesIsForgotten() throws Exception {
    responder = OcspResponder.start(vertx.vertx(), ca, impostor);
    TlsKeyPair served = leaf(responder.url());
    ProxyServer proxy = start(served, TlsEngine.OPENSSL, true);
    OcspStapler stapler = proxy.ocspStapler();
    assertNotNull(stapler);
    Await.until("stapling", WAIT, () -> stapler.stapling(served));
    TlsKeyPair other = CertificateGenerator.defaultCertificate(Instant.now());
    config.publish(RouteTable.builder().build(), CertificateSet.of(other));
    Await.until("forgotten", WAIT, () -> !stapler.tracked().contains(served));
    assertEquals(List.of(), stapled(proxy.httpsPort(), "TLSv1.3"));
  }
}
