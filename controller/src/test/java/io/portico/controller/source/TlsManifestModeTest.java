package io.portico.controller.source;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.Finding;
import io.portico.controller.translate.Translation;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.portico.router.testing.TlsProbe;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateGenerator.LeafRequest;
import io.portico.tls.KeyType;
import io.portico.tls.TlsKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS from a manifest folder through the real controller: certificates from Secrets by SNI name,
 * a broken Secret isolated to its host, rotation under load, redirects, and the default Secret.
 */
class TlsManifestModeTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);
  private static final String DEFAULT_SUBJECT = "CN=" + CertificateGenerator.DEFAULT_COMMON_NAME;

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;

  private EchoBackend app;
  private final List<Controller> controllers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    Files.writeString(folder.resolve("services.yaml"), Manifests.service("app-svc", app.port()));
  }

  @AfterEach
  void stop() {
    controllers.forEach(Controller::close);
  }

  private Controller controller(Optional<ObjectKey> defaultTlsSecret) throws Exception {
    Controller controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2))
                .admin("127.0.0.1", 0)
                .https(HttpsSettings.defaults(0).withRedirectPort(0))
                .defaultTlsSecret(defaultTlsSecret)
                .build());
    controllers.add(controller);
    return controller;
  }

  private static TlsKeyPair leaf(String host) {
    return CertificateGenerator.selfSigned(
        LeafRequest.builder()
            .commonName(host)
            .dnsName(host)
            .keyType(KeyType.EC_P256)
            .validity(Duration.ofDays(30))
            .build(),
        Instant.now());
  }

  private void write(String file, String text) throws Exception {
    // Written aside and moved in, as kubectl-like tools and ConfigMap volumes do: the folder never
    // shows a half-written file (names starting with '.' are not read).
    Path temporary = folder.resolve("." + file + ".tmp");
    Files.writeString(temporary, text);
    Files.move(temporary, folder.resolve(file), StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aBrokenSecretFallsBackToTheDefaultCertificateForItsHostOnly() throws Exception {
    TlsKeyPair good = leaf("good.test");
    write(
        "secrets.yaml",
        Manifests.tlsSecret("good-tls", good)
            + "---\n"
            + Manifests.tlsSecret(
                "broken-tls",
                "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n" + "-----END CERTIFICATE-----\n",
                "not a key"));
    write(
        "shop.yaml",
        Manifests.tlsIngress(
            "shop", "app-svc", "good.test", "good-tls", "broken.test", "broken-tls"));
    Controller controller = controller(Optional.empty());
    int port = controller.httpsPort();
    Await.until(
        "good.test to get its certificate",
        CHANGE,
        () -> TlsProbe.handshake(port, "good.test").leaf().equals(good.leaf()));

    assertEquals(DEFAULT_SUBJECT, TlsProbe.handshake(port, "broken.test").subject());
    assertEquals(200, TlsProbe.get(port, "broken.test", "broken.test", "/b").status());
    TlsProbe.Answer answer = TlsProbe.get(port, "good.test", "good.test", "/g");
    assertEquals(200, answer.status());
    assertEquals(good.leaf(), answer.handshake().leaf());

    Translation translation = controller.latestTranslation();
    List<String> warnings = translation.findings().stream().map(Finding::toString).toList();
    assertEquals(1, warnings.size(), warnings.toString());
    String warning = warnings.get(0);
    assertTrue(
        warning.startsWith(
            "WARNING Ingress default/shop InvalidSecret: spec.tls[1]: Secret default/broken-tls: "),
        warning);
    assertTrue(warning.endsWith("broken.test gets the default certificate"), warning);
  }

  @Test
  void plainHttpToATlsHostRedirectsToTheHttpsListener() throws Exception {
    write("secrets.yaml", Manifests.tlsSecret("app-tls", leaf("app.test")));
    write("app.yaml", Manifests.tlsIngress("app", "app-svc", "app.test", "app-tls"));
    Controller controller = controller(Optional.empty());
    HttpProbe plain = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the first configuration", CHANGE, () -> plain.get("app.test", "/x").status() == 308);
    HttpProbe.Answer answer = plain.get("app.test", "/x/y?z=1");
    assertEquals(
        "https://app.test:" + controller.httpsPort() + "/x/y?z=1",
        answer.headers().get("location"));
    TlsProbe.Answer followed =
        TlsProbe.get(controller.httpsPort(), "app.test", "app.test", "/x/y?z=1");
    assertEquals(200, followed.status());
    assertEquals(
        "max-age=31536000; includeSubDomains", followed.header("strict-transport-security"));
  }

  @Test
  void aRotatedSecretServesNewHandshakesWithoutAFailedRequest() throws Exception {
    TlsKeyPair before = leaf("app.test");
    TlsKeyPair after = leaf("app.test");
    write("secrets.yaml", Manifests.tlsSecret("app-tls", before));
    write("app.yaml", Manifests.tlsIngress("app", "app-svc", "app.test", "app-tls"));
    Controller controller = controller(Optional.empty());
    int port = controller.httpsPort();
    Await.until(
        "the first certificate",
        CHANGE,
        () -> TlsProbe.handshake(port, "app.test").leaf().equals(before.leaf()));

    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger sawNew = new AtomicInteger();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      Thread client =
          new Thread(
              () -> {
                boolean rotated = false;
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (running.get() && System.nanoTime() < end) {
                  try {
                    TlsProbe.Answer answer = TlsProbe.get(port, "app.test", "app.test", "/r");
                    X509Certificate leaf = answer.handshake().leaf();
                    if (answer.status() != 200) {
                      failures.add("status " + answer.status());
                    } else if (leaf.equals(after.leaf())) {
                      if (!rotated) {
                        rotated = true;
                        sawNew.incrementAndGet();
                      }
                    } else if (rotated) {
                      failures.add("the old certificate after the new one");
                    } else if (!leaf.equals(before.leaf())) {
                      failures.add("an unexpected certificate " + leaf.getSubjectX500Principal());
                    }
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                  sent.incrementAndGet();
                }
              },
              "tls-client-" + c);
      clients.add(client);
      client.start();
    }
    try (TlsProbe.Connection established = TlsProbe.Connection.open(port, "app.test")) {
      assertEquals(200, established.get("app.test", "/kept").status());
      Await.until("the clients to get going", CHANGE, () -> sent.get() >= 20);

      write("secrets.yaml", Manifests.tlsSecret("app-tls", after));
      Await.until("every client to see the new certificate", CHANGE, () -> sawNew.get() == 2);
      int afterRotation = sent.get();
      Await.until(
          "more requests on the new certificate", CHANGE, () -> sent.get() >= afterRotation + 20);

      assertEquals(200, established.get("app.test", "/still-kept").status());
      assertEquals(before.leaf(), established.handshake().leaf());
    } finally {
      running.set(false);
      for (Thread client : clients) {
        client.join();
      }
    }
    assertEquals(List.of(), failures, "failures among " + sent.get() + " requests");
    assertEquals(after.leaf(), TlsProbe.handshake(port, "app.test").leaf());
  }

  @Test
  void theDefaultTlsSecretServesClientsNoHostCertificateMatches() throws Exception {
    TlsKeyPair fallback = leaf("fallback.test");
    write("secrets.yaml", Manifests.tlsSecret("fallback-tls", fallback));
    write("app.yaml", Manifests.tlsIngress("app", "app-svc", "app.test", "missing-tls"));
    int port = controller(Optional.of(new ObjectKey("default", "fallback-tls"))).httpsPort();
    Await.until(
        "the default Secret",
        CHANGE,
        () -> TlsProbe.handshake(port, null).leaf().equals(fallback.leaf()));
    assertEquals(fallback.leaf(), TlsProbe.handshake(port, "unknown.test").leaf());
    assertEquals(fallback.leaf(), TlsProbe.handshake(port, "app.test").leaf(), "missing Secret");
  }

  @Test
  void aMissingDefaultTlsSecretIsAWarningAndTheGeneratedCertificateServes() throws Exception {
    write("app.yaml", Manifests.ingress("app", "app.test", "/", "app-svc"));
    Controller controller = controller(Optional.of(new ObjectKey("ops", "missing")));
    Await.until("the first configuration", CHANGE, () -> controller.latestTranslation() != null);
    assertEquals(DEFAULT_SUBJECT, TlsProbe.handshake(controller.httpsPort(), null).subject());
    assertEquals(
        List.of(
            "WARNING Secret ops/missing SecretNotFound: --default-tls-secret ops/missing: not"
                + " found as a kubernetes.io/tls Secret; the generated default certificate serves instead"),
        controller.latestTranslation().findings().stream().map(Finding::toString).toList());
  }
}
