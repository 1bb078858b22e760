package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.BackendProtocol;
import io.portico.router.route.BackendTls;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.RetryPolicy;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.route.UpstreamSettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.LogCapture;
import io.portico.router.testing.TestVertx;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateGenerator.LeafRequest;
import io.portico.tls.KeyType;
import io.portico.tls.TlsKeyPair;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code backend-protocol: HTTPS} with the {@code proxy-ssl-*} settings, against a real TLS
 * backend: unverified by default, verified against the CA of {@code proxy-ssl-secret} and the name
 * of {@code proxy-ssl-name} when asked, with a client certificate for a backend that wants one; a
 * failed verification is 502 with a warning naming the backend.
 */
class HttpsBackendIntegrationTest {

  private static TlsKeyPair backendPair;
  private static TlsKeyPair otherPair;
  private static TlsKeyPair clientPair;

  @RegisterExtension final TestVertx vertx = new TestVertx();

  @BeforeAll
  static void certificates() {
    Instant now = Instant.now();
    backendPair = leaf("backend.test", now);
    otherPair = leaf("other.test", now);
    clientPair = leaf("portico.client", now);
  }

  private static TlsKeyPair leaf(String name, Instant now) {
    return CertificateGenerator.selfSigned(
        LeafRequest.builder()
            .commonName(name)
            .dnsName(name)
            .keyType(KeyType.EC_P256)
            .validity(Duration.ofDays(30))
            .build(),
        now);
  }

  /** A TLS backend with {@code backendPair}; {@code clientCa} asks clients for a certificate. */
  private int backend(String clientCa) throws Exception {
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setSni(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .addCertValue(Buffer.buffer(pem(backendPair.chain())))
                    .addKeyValue(
                        Buffer.buffer(
                            pemText("PRIVATE KEY", backendPair.privateKey().getEncoded()))));
    if (clientCa != null) {
      options
          .setClientAuth(ClientAuth.REQUIRED)
          .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(clientCa)));
    }
    return await(
            vertx
                .vertx()
                .createHttpServer(options)
                .requestHandler(
                    request ->
                        request
                            .response()
                            .putHeader(
                                "x-sni", String.valueOf(request.connection().indicatedServerName()))
                            .putHeader(
                                "x-cipher", request.connection().sslSession().getCipherSuite())
                            .end("secure " + request.isSSL()))
                .listen(0, "127.0.0.1"))
        .actualPort();
  }

  private HttpProbe proxy(int backendPort, BackendTls tls) throws Exception {
    LiveConfig config = new LiveConfig();
    RouteTableBuilder table = RouteTable.builder();
    table.add(
        new Route(
                HostnamePattern.of("app.test"),
                PathMatch.prefix("/"),
                Backend.of(
                    new BackendId("default", "secure", "443"),
                    List.of(Endpoint.of("127.0.0.1", backendPort))),
                new RouteOrigin("default", "app"))
            .withUpstream(
                UpstreamSettings.DEFAULT
                    .withProtocol(BackendProtocol.HTTPS, tls)
                    .withRetry(RetryPolicy.OFF)));
    config.publish(table.build());
    ProxyServer proxy =
        await(ProxyServer.start(vertx.vertx(), config, ProxySettings.defaults("127.0.0.1", 0)));
    return new HttpProbe(vertx.vertx(), proxy.httpPort());
  }

  private static BackendTls verify(String ca, String name, String cert, String key) {
    return new BackendTls(ca, cert, key, true, 1, name, true, List.of("TLSv1.2", "TLSv1.3"));
  }

  @Test
  void anUnverifiedBackendIsServedByDefault() throws Exception {
    HttpProbe probe = proxy(backend(null), BackendTls.DEFAULT);
    HttpProbe.Answer answer = probe.get("app.test", "/");
    assertEquals(200, answer.status());
    assertEquals("secure true", answer.text());
  }

  @Test
  void aVerifiedBackendNeedsItsCaAndName() throws Exception {
    int port = backend(null);
    String ca = pem(backendPair.chain());
    assertEquals(
        200, proxy(port, verify(ca, "backend.test", "", "")).get("app.test", "/").status());
    try (LogCapture log = new LogCapture()) {
      assertEquals(
          502,
          proxy(port, verify(pem(otherPair.chain()), "backend.test", "", ""))
              .get("app.test", "/")
              .status());
      Await.until(
          "a warning naming the backend",
          Duration.ofSeconds(5),
          () ->
              log.text()
                  .contains(
                      "event=upstream_tls_failed route=default/app app.test Prefix / backend=default/secure"));
      assertTrue(log.text().contains("certificate not trusted"), log.text());
    }
    assertEquals(502, proxy(port, verify(ca, "other.test", "", "")).get("app.test", "/").status());
  }

  @Test
  void aBackendThatWantsAClientCertificateGetsPorticos() throws Exception {
    int port = backend(pem(clientPair.chain()));
    String ca = pem(backendPair.chain());
    String cert = pem(clientPair.chain());
    String key = pemText("PRIVATE KEY", clientPair.privateKey().getEncoded());
    assertEquals(
        200, proxy(port, verify(ca, "backend.test", cert, key)).get("app.test", "/").status());
    assertEquals(
        502, proxy(port, verify(ca, "backend.test", "", "")).get("app.test", "/").status());
  }

  @Test
  void theNameGoesInSniOnlyWhenAsked() throws Exception {
    int port = backend(null);
    String ca = pem(backendPair.chain());
    HttpProbe.Answer named = proxy(port, verify(ca, "backend.test", "", "")).get("app.test", "/");
    assertEquals("backend.test", named.headers().get("x-sni"));
    BackendTls hostAsSni =
        new BackendTls(ca, "", "", false, 1, "", true, List.of("TLSv1.2", "TLSv1.3"));
    assertEquals("app.test", proxy(port, hostAsSni).get("app.test", "/").headers().get("x-sni"));
    BackendTls noSni =
        new BackendTls(ca, "", "", true, 1, "backend.test", false, List.of("TLSv1.2", "TLSv1.3"));
    assertEquals("null", proxy(port, noSni).get("app.test", "/").headers().get("x-sni"));
  }

  @Test
  void subjectAltNamesReplaceTheNameInTheCheck() throws Exception {
    int port = backend(null);
    String ca = pem(backendPair.chain());
    BackendTls.SubjectAltName backend =
        new BackendTls.SubjectAltName(BackendTls.SubjectAltName.Type.DNS, "backend.test");
    BackendTls.SubjectAltName other =
        new BackendTls.SubjectAltName(BackendTls.SubjectAltName.Type.URI, "spiffe://other");
    assertEquals(
        200, proxy(port, withNames(ca, List.of(other, backend))).get("app.test", "/").status());
    assertEquals(502, proxy(port, withNames(ca, List.of(other))).get("app.test", "/").status());
  }

  private static BackendTls withNames(String ca, List<BackendTls.SubjectAltName> names) {
    return new BackendTls(
        ca, "", "", true, 1, "sni.test", true, List.of("TLSv1.3"), List.of(), false, names);
  }

  @Test
  void cipherSuitesRestrictTls12() throws Exception {
    int port = backend(null);
    String suite = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
    BackendTls one =
        new BackendTls(
            "", "", "", false, 1, "", false, List.of("TLSv1.2"), List.of(suite), false, List.of());
    assertEquals(suite, proxy(port, one).get("app.test", "/").headers().get("x-cipher"));
  }

  @Test
  void systemTrustDoesNotTrustASelfSignedBackend() throws Exception {
    int port = backend(null);
    BackendTls system =
        new BackendTls(
            "",
            "",
            "",
            true,
            1,
            "backend.test",
            true,
            List.of("TLSv1.3"),
            List.of(),
            true,
            List.of());
    assertEquals(502, proxy(port, system).get("app.test", "/").status());
  }

  private static String pem(List<X509Certificate> chain) throws Exception {
    StringBuilder text = new StringBuilder();
    for (X509Certificate certificate : chain) {
      text.append(pemText("CERTIFICATE", certificate.getEncoded()));
    }
    return text.toString();
  }

  private static String pemText(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
