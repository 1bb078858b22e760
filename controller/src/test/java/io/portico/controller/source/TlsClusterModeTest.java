package io.portico.controller.source;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portico.controller.Controller;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.Manifests;
import io.portico.router.echo.EchoBackend;
import io.portico.router.testing.Await;
import io.portico.router.testing.TestVertx;
import io.portico.router.testing.TlsProbe;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateGenerator.LeafRequest;
import io.portico.tls.KeyType;
import io.portico.tls.TlsKeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS Secrets from the API server (fabric8's mock in CRUD mode, real informers): a Secret created
 * after its Ingress, then updated, serves the next handshakes without a restart.
 */
@EnableKubernetesMockClient(crud = true)
class TlsClusterModeTest {

  private static final Duration CHANGE = Duration.ofSeconds(15);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  KubernetesMockServer server;
  KubernetesClient client;

  private Controller controller;

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
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

  @Test
  void aSecretCreatedThenUpdatedServesTheNextHandshakes() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    ClusterHarness.apply(client, Manifests.service("app-svc", app.port()));
    ClusterHarness.apply(client, Manifests.tlsIngress("app", "app-svc", "app.test", "app-tls"));
    controller =
        ClusterHarness.start(
            client.getConfiguration(), "solo", Optional.of(new ObjectKey("portico", "portico")));
    int port = controller.httpsPort();
    Await.until(
        "the Ingress to serve with the default certificate",
        CHANGE,
        () -> TlsProbe.get(port, "app.test", "app.test", "/").status() == 200);
    assertEquals(
        "CN=" + CertificateGenerator.DEFAULT_COMMON_NAME,
        TlsProbe.handshake(port, "app.test").subject());

    TlsKeyPair first = leaf("app.test");
    ClusterHarness.apply(client, Manifests.tlsSecret("app-tls", first));
    Await.until(
        "the created Secret",
        CHANGE,
        () -> TlsProbe.handshake(port, "app.test").leaf().equals(first.leaf()));

    TlsKeyPair second = leaf("app.test");
    ClusterHarness.apply(client, Manifests.tlsSecret("app-tls", second));
    Await.until(
        "the updated Secret",
        CHANGE,
        () -> TlsProbe.handshake(port, "app.test").leaf().equals(second.leaf()));
    assertEquals(200, TlsProbe.get(port, "app.test", "app.test", "/").status());
  }
}
