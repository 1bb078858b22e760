package io.portico.router.access;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.echo.EchoBackend;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxyServer;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.proxy.TlsEngine;
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
import io.portico.router.testing.CertificateClient;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateSet;
import io.portico.tls.ClientCertificateAuthority;
import io.portico.tls.KeyType;
import io.portico.tls.Pem;
import io.portico.tls.TlsKeyPair;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Client certificate authentication through the real HTTPS listener, with real handshakes: ported
 * in spirit from ingress-nginx's {@code test/e2e/annotations/authtls.go}, plus what is per host
 * (only the hosts that want a certificate ask for one) on both TLS engines.
 */
class ClientCertificateIntegrationTest {

  private static TlsKeyPair ca;
  private static TlsKeyPair alice;
  private static TlsKeyPair eve;
  private static ClientCertificateAuthority authority;

  @RegisterExtension final TestVertx vertx = new TestVertx();

  @BeforeAll
  static void certificates() throws Exception {
    Instant now = Instant.now();
    ca =
        CertificateGenerator.certificateAuthority(
            "Client CA", KeyType.EC_P256, Duration.ofDays(30), now);
    TlsKeyPair otherCa =
        CertificateGenerator.certificateAuthority(
            "Other CA", KeyType.EC_P256, Duration.ofDays(30), now);
    alice = client(ca, "alice", now);
    eve = client(otherCa, "eve", now);
    authority = ClientCertificateAuthority.fromPem(Pem.certificates(ca.chain()), null);
  }

  private static TlsKeyPair client(TlsKeyPair issuer, String name, Instant now) {
    return CertificateGenerator.signedBy(
        issuer,
        CertificateGenerator.LeafRequest.builder()
            .commonName(name)
            .dnsName(name + ".client.test")
            .validity(Duration.ofDays(7))
            .forClients()
            .build(),
        now);
  }

  private static ClientCertificatePolicy policy(ClientVerifyMode mode) {
    return new ClientCertificatePolicy(
        mode, authority, 1, Optional.empty(), false, Optional.empty());
  }

  private int start(TlsEngine engine) throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    Endpoint echo = Endpoint.of("127.0.0.1", app.port());
    RouteTableBuilder table = RouteTable.builder();
    route(table, "plain.test", echo);
    route(
        table,
        "mtls.test",
        echo,
        new ClientCertificatePolicy(
            ClientVerifyMode.ON, authority, 1, Optional.empty(), true, Optional.empty()));
    route(table, "*.wild.test", echo, policy(ClientVerifyMode.ON));
    route(table, "optional.test", echo, policy(ClientVerifyMode.OPTIONAL));
    route(table, "noca.test", echo, policy(ClientVerifyMode.OPTIONAL_NO_CA));
    route(table, "off.test", echo, policy(ClientVerifyMode.OFF));
    route(
        table,
        "cn.test",
        echo,
        new ClientCertificatePolicy(
            ClientVerifyMode.ON,
            authority,
            1,
            Optional.empty(),
            false,
            Optional.of("CN=(itwillmatch|withthenextoption|alice)")));
    route(
        table,
        "othercn.test",
        echo,
        new ClientCertificatePolicy(
            ClientVerifyMode.ON, authority, 1, Optional.empty(), false, Optional.of("CN=bob")));
    route(
        table,
        "page.test",
        echo,
        new ClientCertificatePolicy(
            ClientVerifyMode.ON,
            authority,
            1,
            Optional.of("http://errors.test/error"),
            false,
            Optional.empty()));
    TlsKeyPair server = CertificateGenerator.defaultCertificate(Instant.now());
    LiveConfig config = new LiveConfig(CertificateSet.of(server));
    config.publish(table.build(), CertificateSet.of(server));
    ProxyServer proxy =
        await(
            ProxyServer.start(
                vertx.vertx(),
                config,
                ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2),
                HttpsSettings.defaults(0).withEngine(engine)));
    return proxy.httpsPort();
  }

  private static void route(
      RouteTableBuilder table, String host, Endpoint endpoint, RequestPolicy... policies) {
    table.add(
        new Route(
            HostnamePattern.of(host),
            PathMatch.prefix("/"),
            Backend.of(new BackendId("default", "app", "80"), List.of(endpoint)),
            new RouteOrigin("default", host),
            HttpsPolicy.NONE,
            RoutePolicies.of(policies)));
  }

  private static JsonObject headers(CertificateClient.Answer answer) {
    return new JsonObject(answer.body()).getJsonObject("headers");
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void onlyTheHostsThatWantACertificateAskForOne(TlsEngine engine) throws Exception {
    int port = start(engine);
    for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
      for (String host : List.of("plain.test", "off.test", "unknown.test")) {
        try (CertificateClient client = new CertificateClient(port, host, alice, protocol)) {
          assertEquals(0, client.requests(), host + " over " + protocol + " asked");
        }
      }
      try (CertificateClient client = new CertificateClient(port, null, alice, protocol)) {
        assertEquals(0, client.requests(), "no SNI over " + protocol + " asked");
      }
      for (String host : List.of("mtls.test", "a.wild.test", "optional.test", "noca.test")) {
        try (CertificateClient client = new CertificateClient(port, host, alice, protocol)) {
          assertEquals(1, client.requests(), host + " over " + protocol + " did not ask");
          CertificateClient.Answer answer = client.get(host, "/");
          assertEquals(200, answer.status(), host + ": " + answer.body());
          assertEquals("SUCCESS", headers(answer).getString("ssl-client-verify"));
        }
      }
      try (CertificateClient client = new CertificateClient(port, "plain.test", null, protocol)) {
        assertEquals(200, client.get("plain.test", "/").status());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void onRequiresACertificateOfTheCa(TlsEngine engine) throws Exception {
    int port = start(engine);
    try (CertificateClient client = new CertificateClient(port, "mtls.test", null)) {
      CertificateClient.Answer answer = client.get("mtls.test", "/");
      assertEquals(400, answer.status());
      assertEquals("400 No required SSL certificate was sent\n", answer.body());
    }
    try (CertificateClient client = new CertificateClient(port, "mtls.test", eve)) {
      CertificateClient.Answer answer = client.get("mtls.test", "/");
      assertEquals(400, answer.status());
      assertEquals("400 The SSL certificate error\n", answer.body());
    }
    try (CertificateClient client = new CertificateClient(port, "mtls.test", alice)) {
      CertificateClient.Answer answer =
          client.get("mtls.test", "/", "ssl-client-verify: forged", "ssl-client-subject-dn: CN=x");
      assertEquals(200, answer.status());
      JsonObject seen = headers(answer);
      assertEquals("SUCCESS", seen.getString("ssl-client-verify"));
      assertEquals("CN=alice", seen.getString("ssl-client-subject-dn"));
      assertEquals("CN=Client CA", seen.getString("ssl-client-issuer-dn"));
      assertTrue(
          seen.getString("ssl-client-cert").startsWith("-----BEGIN%20CERTIFICATE-----%0A"),
          seen.getString("ssl-client-cert"));
      // The same connection, a second request: the check is remembered, the answer the same.
      assertEquals(
          "SUCCESS", headers(client.get("mtls.test", "/again")).getString("ssl-client-verify"));
    }
  }

  @Test
  void optionalLetsAClientWithoutACertificateThroughButNotABadCertificate() throws Exception {
    int port = start(TlsEngine.AUTO);
    try (CertificateClient client = new CertificateClient(port, "optional.test", null)) {
      CertificateClient.Answer answer =
          client.get("optional.test", "/", "ssl-client-verify: SUCCESS", "ssl-client-cert: x");
      assertEquals(200, answer.status());
      assertEquals("NONE", headers(answer).getString("ssl-client-verify"));
      assertNull(headers(answer).getString("ssl-client-cert"), "the client's own header is gone");
      assertNull(headers(answer).getString("ssl-client-subject-dn"));
    }
    try (CertificateClient client = new CertificateClient(port, "optional.test", eve)) {
      assertEquals(400, client.get("optional.test", "/").status());
    }
  }

  @Test
  void optionalNoCaLetsAnUntrustedCertificateThroughWithItsFailure() throws Exception {
    int port = start(TlsEngine.AUTO);
    try (CertificateClient client = new CertificateClient(port, "noca.test", eve)) {
      CertificateClient.Answer answer = client.get("noca.test", "/");
      assertEquals(200, answer.status());
      assertEquals(
          "FAILED:unable to get local issuer certificate",
          headers(answer).getString("ssl-client-verify"));
      assertEquals("CN=eve", headers(answer).getString("ssl-client-subject-dn"));
      assertNull(headers(answer).getString("ssl-client-cert"), "not asked to pass it");
    }
  }

  @Test
  void offAsksForNothingAndSaysNone() throws Exception {
    int port = start(TlsEngine.AUTO);
    try (CertificateClient client = new CertificateClient(port, "off.test", alice)) {
      CertificateClient.Answer answer = client.get("off.test", "/", "ssl-client-verify: SUCCESS");
      assertEquals(200, answer.status());
      assertEquals("NONE", headers(answer).getString("ssl-client-verify"));
    }
  }

  @Test
  void matchCnAnswers403WhenTheSubjectDoesNotMatch() throws Exception {
    int port = start(TlsEngine.AUTO);
    try (CertificateClient client = new CertificateClient(port, "cn.test", alice)) {
      assertEquals(200, client.get("cn.test", "/").status());
    }
    try (CertificateClient client = new CertificateClient(port, "othercn.test", alice)) {
      CertificateClient.Answer answer = client.get("othercn.test", "/");
      assertEquals(403, answer.status());
      assertEquals("client certificate unauthorized", answer.body());
    }
  }

  @Test
  void theErrorPageReplacesThe400() throws Exception {
    int port = start(TlsEngine.AUTO);
    try (CertificateClient client = new CertificateClient(port, "page.test", null)) {
      CertificateClient.Answer answer = client.get("page.test", "/");
      assertEquals(302, answer.status());
      assertEquals("http://errors.test/error", answer.header("location"));
    }
    try (CertificateClient client = new CertificateClient(port, "page.test", alice)) {
      assertEquals(200, client.get("page.test", "/").status());
    }
  }

  @Test
  void aRequestForAnotherHostThanTheHandshakesIsMisdirected() throws Exception {
    int port = start(TlsEngine.AUTO);
    // Handshake for a host that asks nothing, then a request for one that requires a certificate.
    try (CertificateClient client = new CertificateClient(port, "plain.test", alice)) {
      assertEquals(0, client.requests());
      CertificateClient.Answer answer = client.get("mtls.test", "/");
      assertEquals(421, answer.status());
    }
    // A certificate checked for one host does not open another with a different policy.
    try (CertificateClient client = new CertificateClient(port, "mtls.test", alice)) {
      assertEquals(421, client.get("cn.test", "/").status());
      assertEquals(200, client.get("plain.test", "/").status(), "no policy: nothing to check");
      assertEquals(200, client.get("MTLS.test.", "/").status(), "the same name, spelled otherwise");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void http2CarriesTheCertificateOfItsHandshake(TlsEngine engine) throws Exception {
    int port = start(engine);
    HttpClientOptions options =
        new HttpClientOptions()
            .setSsl(true)
            .setTrustAll(true)
            .setVerifyHost(false)
            .setForceSni(true)
            .setUseAlpn(true)
            .setProtocolVersion(HttpVersion.HTTP_2);
    HttpProbe withCertificate =
        new HttpProbe(
            vertx.vertx(),
            port,
            new HttpClientOptions(options)
                .setKeyCertOptions(
                    new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(Pem.certificates(alice.chain())))
                        .setKeyValue(Buffer.buffer(Pem.privateKey(alice.privateKey())))));
    HttpProbe.Answer answer = withCertificate.get("mtls.test", "/h2");
    assertEquals(200, answer.status());
    assertEquals("SUCCESS", answer.json().getJsonObject("headers").getString("ssl-client-verify"));

    HttpProbe.Answer without = new HttpProbe(vertx.vertx(), port, options).get("mtls.test", "/h2");
    assertEquals(400, without.status());
  }
}
