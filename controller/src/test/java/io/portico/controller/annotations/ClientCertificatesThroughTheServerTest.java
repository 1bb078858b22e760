package io.portico.controller.annotations;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.Finding;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.CertificateClient;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.KeyType;
import io.portico.tls.Pem;
import io.portico.tls.TlsKeyPair;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates from Ingresses and Secrets in a manifest folder to real handshakes and
 * answers, in the spirit of ingress-nginx's e2e tests (annotations/authtls.go): required, optional,
 * the certificate passed upstream, a missing CA Secret (403, never served open) that then appears.
 */
class ClientCertificatesThroughTheServerTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);
  private static TlsKeyPair ca;
  private static TlsKeyPair alice;

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private Controller controller;
  private int https;

  @BeforeAll
  static void certificates() {
    Instant now = Instant.now();
    ca =
        CertificateGenerator.certificateAuthority(
            "Client CA", KeyType.EC_P256, Duration.ofDays(30), now);
    alice =
        CertificateGenerator.signedBy(
            ca,
            CertificateGenerator.LeafRequest.builder()
                .commonName("alice")
                .dnsName("alice.client.test")
                .validity(Duration.ofDays(7))
                .forClients()
                .build(),
            now);
  }

  @BeforeEach
  void start() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    String objects =
        Manifests.service("app-svc", app.port())
            + "---\n"
            + BasicAuthThroughTheServerTest.ingress(
                "mtls",
                "mtls.test",
                "auth-tls-secret: default/ca-secret",
                "auth-tls-pass-certificate-to-upstream: \"true\"")
            + "---\n"
            + BasicAuthThroughTheServerTest.ingress(
                "optional",
                "optional.test",
                "auth-tls-secret: ca-secret",
                "auth-tls-verify-client: optional")
            + "---\n"
            + BasicAuthThroughTheServerTest.ingress(
                "missing", "missing.test", "auth-tls-secret: later")
            + "---\n"
            + BasicAuthThroughTheServerTest.ingress("plain", "plain.test");
    Files.writeString(folder.resolve("objects.yaml"), objects);
    Files.writeString(
        folder.resolve("ca.yaml"),
        BasicAuthThroughTheServerTest.secret("ca-secret", "ca.crt", Pem.certificates(ca.chain())));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build());
    HttpProbe client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the first configuration", CHANGE, () -> client.get("plain.test", "/").status() == 200);
    https = controller.httpsPort();
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  private CertificateClient.Answer get(String host, TlsKeyPair certificate) throws Exception {
    try (CertificateClient client = new CertificateClient(https, host, certificate)) {
      return client.get(host, "/");
    }
  }

  @Test
  void aRequiredCertificateOfTheCaIsCheckedAndPassedUpstream() throws Exception {
    assertEquals(400, get("mtls.test", null).status());
    CertificateClient.Answer answer = get("mtls.test", alice);
    assertEquals(200, answer.status());
    JsonObject headers = new JsonObject(answer.body()).getJsonObject("headers");
    assertEquals("SUCCESS", headers.getString("ssl-client-verify"));
    assertEquals("CN=alice", headers.getString("ssl-client-subject-dn"));
    assertEquals(
        "-----BEGIN%20CERTIFICATE-----%0A", headers.getString("ssl-client-cert").substring(0, 32));
    try (CertificateClient plain = new CertificateClient(https, "plain.test", alice)) {
      assertEquals(0, plain.requests(), "a host without auth-tls asks for nothing");
      assertEquals(200, plain.get("plain.test", "/").status());
    }
  }

  @Test
  void optionalLetsAClientWithoutACertificateThrough() throws Exception {
    CertificateClient.Answer answer = get("optional.test", null);
    assertEquals(200, answer.status());
    assertEquals(
        "NONE",
        new JsonObject(answer.body()).getJsonObject("headers").getString("ssl-client-verify"));
  }

  @Test
  void aMissingCaSecretAnswers403UntilItAppears() throws Exception {
    assertEquals(403, get("missing.test", alice).status());
    List<String> warnings =
        controller.latestTranslation().findings().stream()
            .filter(f -> f.severity() == Finding.Severity.WARNING)
            .map(Finding::toString)
            .toList();
    assertEquals(
        List.of(
            "WARNING Ingress default/missing InvalidAnnotation: nginx.ingress.kubernetes.io/"
                + "auth-tls-secret: \"later\" (expected: a Secret that exists: Secret"
                + " default/later not found); every route of the Ingress answers 403"),
        warnings);

    Files.writeString(
        folder.resolve("later.yaml"),
        BasicAuthThroughTheServerTest.secret("later", "ca.crt", Pem.certificates(ca.chain())));
    Await.until("the Secret serves", CHANGE, () -> get("missing.test", alice).status() == 200);
    assertEquals(400, get("missing.test", null).status());
  }
}
