package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.echo.EchoBackend;
import io.portico.router.policy.StrictTransportSecurityPolicy;
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
import io.portico.router.testing.TlsProbe;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateGenerator.LeafRequest;
import io.portico.tls.CertificateSet;
import io.portico.tls.KeyType;
import io.portico.tls.TlsKeyPair;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.OpenSSLEngineOptions;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real TLS handshakes and requests through the real HTTPS and plain listeners. */
class HttpsProxyIntegrationTest {

  private static TlsKeyPair defaultPair;
  private static TlsKeyPair exactPair;
  private static TlsKeyPair wildcardPair;

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private LiveConfig config;
  private EchoBackend app;
  private HttpServer mixedCaseBackend;

  @BeforeAll
  static void certificates() {
    Instant now = Instant.now();
    defaultPair = CertificateGenerator.defaultCertificate(now);
    exactPair = leaf("exact.test", KeyType.EC_P256, now);
    wildcardPair = leaf("*.wild.test", KeyType.RSA_2048, now);
  }

  private static TlsKeyPair leaf(String name, KeyType type, Instant now) {
    return CertificateGenerator.selfSigned(
        LeafRequest.builder()
            .commonName(name)
            .dnsName(name)
            .keyType(type)
            .validity(Duration.ofDays(30))
            .build(),
        now);
  }

  @BeforeEach
  void start() throws Exception {
    app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    mixedCaseBackend =
        await(
            vertx
                .vertx()
                .createHttpServer()
                .requestHandler(
                    request ->
                        request
                            .response()
                            .putHeader("Content-Type", "text/plain")
                            .putHeader("X-Mixed-Case", "Kept")
                            .putHeader("Strict-Transport-Security", "max-age=1")
                            .end("mixed\n"))
                .listen(0, "127.0.0.1"));
    config = new LiveConfig(CertificateSet.of(defaultPair));
    CertificateSet.Builder certificates = CertificateSet.builder(defaultPair);
    certificates.add("exact.test", exactPair);
    certificates.addFromSans(wildcardPair);
    config.publish(table(), certificates.build());
  }

  private RouteTable table() {
    RouteTableBuilder table = RouteTable.builder();
    Endpoint echo = Endpoint.of("127.0.0.1", app.port());
    route(table, "secure.test", "/", HttpsPolicy.REDIRECT_AND_HSTS, echo);
    route(table, "optout.test", "/", new HttpsPolicy(false, true), echo);
    route(table, "forced.test", "/", new HttpsPolicy(true, false), echo);
    route(table, "plain.test", "/", HttpsPolicy.NONE, echo);
    route(
        table,
        "mixed.test",
        "/",
        HttpsPolicy.REDIRECT_AND_HSTS,
        Endpoint.of("127.0.0.1", mixedCaseBackend.actualPort()));
    return table.build();
  }

  private static void route(
      RouteTableBuilder table, String host, String path, HttpsPolicy https, Endpoint endpoint) {
    table.add(
        new Route(
            HostnamePattern.of(host),
            PathMatch.prefix(path),
            Backend.of(new BackendId("default", host + "-svc", "80"), List.of(endpoint)),
            new RouteOrigin("default", host),
            https));
  }

  private ProxyServer start(HttpsSettings https) throws Exception {
    ProxySettings settings = ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2);
    return await(ProxyServer.start(vertx.vertx(), config, settings, https));
  }

  private ProxyServer start(TlsEngine engine) throws Exception {
    return start(HttpsSettings.defaults(0).withEngine(engine));
  }

  @Test
  void theOpenSslEngineLoadsOnThisMachine() {
    // The JDK fallback must stay a fallback: if tcnative stops loading, this says so.
    assertTrue(OpenSSLEngineOptions.isAvailable(), "OpenSSL (netty-tcnative) did not load");
    assertEquals(TlsEngine.OPENSSL, TlsEngine.AUTO.resolve());
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void servesTheCertificateOfEachSniName(TlsEngine engine) throws Exception {
    int port = start(engine).httpsPort();
    assertEquals("CN=exact.test", TlsProbe.handshake(port, "exact.test").subject());
    assertEquals("CN=exact.test", TlsProbe.handshake(port, "EXACT.test").subject());
    assertEquals("CN=*.wild.test", TlsProbe.handshake(port, "a.wild.test").subject());
    String defaultSubject = "CN=" + CertificateGenerator.DEFAULT_COMMON_NAME;
    assertEquals(defaultSubject, TlsProbe.handshake(port, "a.b.wild.test").subject());
    assertEquals(defaultSubject, TlsProbe.handshake(port, "unknown.test").subject());
    assertEquals(defaultSubject, TlsProbe.handshake(port, null).subject());
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void speaksTls13And12WithModernCiphersOnly(TlsEngine engine) throws Exception {
    int port = start(engine).httpsPort();
    assertEquals("TLSv1.3", TlsProbe.handshake(port, "exact.test").protocol());
    TlsProbe.Handshake tls12 = TlsProbe.handshake(port, "exact.test", new String[] {"TLSv1.2"});
    assertEquals("TLSv1.2", tls12.protocol());
    assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", tls12.cipherSuite());
    assertEquals(
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        TlsProbe.handshake(
                port,
                "a.wild.test",
                new String[] {"TLSv1.2"},
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")
            .cipherSuite());
    // CBC suites, static RSA and finite-field DHE key exchange are refused even when the client
    // offers nothing else; the JDK client enables them all, so the refusal is the server's.
    List<String> clientSuites =
        List.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
    for (String weak :
        new String[] {
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
          "TLS_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"
        }) {
      assertTrue(clientSuites.contains(weak), weak + " is not enabled in the client");
      String serverName = weak.contains("ECDSA") ? "exact.test" : "a.wild.test";
      assertThrows(
          SSLException.class,
          () -> TlsProbe.handshake(port, serverName, new String[] {"TLSv1.2"}, weak),
          weak);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void refusesTls11AndOlder(TlsEngine engine) throws Exception {
    int port = start(engine).httpsPort();
    // The JDK client has TLS 1.1 switched off, so the real openssl client offers it; security
    // level 0 lets it, so a refusal can only come from the server.
    String tls12 = sClient(port, "-tls1_2");
    assertTrue(tls12.contains("Protocol  : TLSv1.2"), tls12);
    for (String old : new String[] {"-tls1_1", "-tls1"}) {
      String refused = sClient(port, old, "-cipher", "DEFAULT:@SECLEVEL=0");
      assertTrue(refused.contains("alert protocol version"), old + ":\n" + refused);
    }
  }

  /**
   * Runs {@code openssl s_client} against the HTTPS port with SNI exact.test; returns its output.
   */
  private static String sClient(int port, String... options) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + port,
                "-servername",
                "exact.test"));
    command.addAll(List.of(options));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl s_client did not finish");
    return output;
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void proxiesHttp2FromTheClientToAnHttp11Backend(TlsEngine engine) throws Exception {
    int port = start(engine).httpsPort();
    HttpProbe h2 =
        new HttpProbe(
            vertx.vertx(),
            port,
            new HttpClientOptions()
                .setSsl(true)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2));
    HttpProbe.Answer answer = h2.get("secure.test", "/h2?x=1");
    assertEquals(200, answer.status());
    assertEquals("/h2?x=1", answer.json().getString("uri"));
    assertEquals("http/1.1", answer.json().getString("version"), "what the backend saw");
    assertEquals("https", answer.json().getJsonObject("headers").getString("x-forwarded-proto"));
    assertNull(
        answer.json().getJsonObject("headers").getString("transfer-encoding"),
        "a GET without a body must not reach the backend as a chunked request");

    byte[] upload = new byte[3 * 1024 * 1024 + 7];
    new Random(7).nextBytes(upload);
    HttpProbe.Answer posted =
        h2.send(
            HttpMethod.POST,
            "secure.test",
            "/upload",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(upload));
    assertEquals(upload.length, posted.json().getLong("bodyBytes"));
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload)),
        posted.json().getString("bodySha256"));
    assertEquals(
        StrictTransportSecurityPolicy.VALUE, answer.headers().get("strict-transport-security"));

    // HTTP/2 forbids upper-case header names: the backend's spelling must not break the stream.
    HttpProbe.Answer mixed = h2.get("mixed.test", "/");
    assertEquals(200, mixed.status());
    assertEquals("mixed\n", mixed.text());
    assertEquals("Kept", mixed.headers().get("x-mixed-case"));
    assertEquals("text/plain", mixed.headers().get("content-type"));
    assertEquals(
        List.of(StrictTransportSecurityPolicy.VALUE),
        mixed.headers().getAll("strict-transport-security"));
  }

  @Test
  void plainHttpToARedirectingRuleIsA308ToTheSameUrlOverHttps() throws Exception {
    ProxyServer proxy = start(HttpsSettings.defaults(0));
    HttpProbe plain = new HttpProbe(vertx.vertx(), proxy.httpPort());
    HttpProbe.Answer answer = plain.get("secure.test", "/a/../b%20c?q=1&r=%20");
    assertEquals(308, answer.status());
    assertEquals("https://secure.test/a/../b%20c?q=1&r=%20", answer.headers().get("location"));
    assertNull(answer.headers().get("strict-transport-security"), "HSTS is for HTTPS only");

    assertEquals(308, plain.get("forced.test", "/x").status());
    assertEquals(200, plain.get("optout.test", "/x").status());
    assertEquals(200, plain.get("plain.test", "/x").status());
    assertEquals(2, app.requests(), "only the two rules without redirect reach the backend");
  }

  @Test
  void acmeChallengesAreNeverRedirected() throws Exception {
    ProxyServer proxy = start(HttpsSettings.defaults(0));
    HttpProbe plain = new HttpProbe(vertx.vertx(), proxy.httpPort());
    HttpProbe.Answer answer = plain.get("secure.test", "/.well-known/acme-challenge/token-1");
    assertEquals(200, answer.status());
    assertEquals("/.well-known/acme-challenge/token-1", answer.json().getString("uri"));
    assertEquals(308, plain.get("secure.test", "/.well-known/other").status());
  }

  @Test
  void theRedirectPortIsNamedUnless443AndZeroMeansTheHttpsListenersOwn() throws Exception {
    ProxyServer custom = start(HttpsSettings.defaults(0).withRedirectPort(8443));
    assertEquals(
        "https://secure.test:8443/x",
        new HttpProbe(vertx.vertx(), custom.httpPort())
            .get("secure.test", "/x")
            .headers()
            .get("location"));
    ProxyServer own = start(HttpsSettings.defaults(0).withRedirectPort(0));
    String location =
        new HttpProbe(vertx.vertx(), own.httpPort())
            .get("secure.test", "/x")
            .headers()
            .get("location");
    assertEquals("https://secure.test:" + own.httpsPort() + "/x", location);
    TlsProbe.Answer followed = TlsProbe.get(own.httpsPort(), "secure.test", "secure.test", "/x");
    assertEquals(200, followed.status());
  }

  @Test
  void httpsResponsesOfTlsHostsCarryHsts() throws Exception {
    int port = start(HttpsSettings.defaults(0)).httpsPort();
    assertEquals(
        StrictTransportSecurityPolicy.VALUE,
        TlsProbe.get(port, "secure.test", "secure.test", "/").header("strict-transport-security"));
    assertEquals(
        StrictTransportSecurityPolicy.VALUE,
        TlsProbe.get(port, "optout.test", "optout.test", "/").header("strict-transport-security"));
    assertNull(
        TlsProbe.get(port, "forced.test", "forced.test", "/").header("strict-transport-security"));
    assertNull(
        TlsProbe.get(port, "plain.test", "plain.test", "/").header("strict-transport-security"));
  }

  @Test
  void hstsCanBeSwitchedOff() throws Exception {
    int port = start(HttpsSettings.defaults(0).withHsts(false)).httpsPort();
    TlsProbe.Answer answer = TlsProbe.get(port, "secure.test", "secure.test", "/");
    assertEquals(200, answer.status());
    assertNull(answer.header("strict-transport-security"));
  }

  @Test
  void aPublishedCertificateSetServesTheNextHandshakeOnAnOpenConnectionToo() throws Exception {
    int port = start(HttpsSettings.defaults(0)).httpsPort();
    try (TlsProbe.Connection open = TlsProbe.Connection.open(port, "exact.test")) {
      assertEquals(200, open.get("secure.test", "/before").status());
      TlsKeyPair rotated = leaf("exact.test", KeyType.EC_P256, Instant.now());
      CertificateSet.Builder certificates = CertificateSet.builder(defaultPair);
      certificates.add("exact.test", rotated);
      config.publish(config.current().routes(), certificates.build());
      TlsProbe.Handshake next = TlsProbe.handshake(port, "exact.test");
      assertEquals(rotated.leaf(), next.leaf());
      assertEquals(200, open.get("secure.test", "/after").status(), "the open connection");
      assertEquals(exactPair.leaf(), open.handshake().leaf());
    }
  }
}
