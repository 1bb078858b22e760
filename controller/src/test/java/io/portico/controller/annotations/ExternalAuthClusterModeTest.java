package io.portico.controller.annotations;

import static io.portico.controller.annotations.BasicAuthThroughTheServerTest.ingress;
import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portico.controller.Controller;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.Manifests;
import io.portico.router.echo.EchoBackend;
import io.portico.router.testing.AuthService;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * External auth from the API server (fabric8's mock in CRUD mode, real informers) with a real auth
 * service: an Ingress whose {@code auth-proxy-set-headers} ConfigMap does not exist yet answers
 * 503, then is served once the ConfigMap is created, with its headers. (How the controller
 * ConfigMap, and so {@code global-auth-url}, reaches a running Portico is
 * ConfigMapClusterModeTest's.)
 */
@EnableKubernetesMockClient(crud = true)
class ExternalAuthClusterModeTest {

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

  private void configMap(String namespace, String name, Map<String, String> data) {
    client
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withData(data)
                .build())
        .createOr(existing -> existing.update());
  }

  @Test
  void aConfigMapOfHeadersCreatedWhilePorticoRunsTakesEffect() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    AuthService auth = await(AuthService.start(vertx.vertx()));
    String service = "http://127.0.0.1:" + auth.port();
    ClusterHarness.apply(client, Manifests.service("app-svc", app.port()));
    ClusterHarness.apply(
        client,
        ingress(
            "guarded",
            "guarded.test",
            "auth-url: " + service + "/check",
            "auth-proxy-set-headers: auth-headers"));
    ClusterHarness.apply(client, ingress("open", "open.test"));
    controller =
        ClusterHarness.start(
            client.getConfiguration(), "solo", Optional.of(new ObjectKey("portico", "portico")));
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());

    Await.until("open served", CHANGE, () -> probe.get("open.test", "/").status() == 200);
    assertEquals(503, probe.get("guarded.test", "/").status(), "without its ConfigMap");
    assertEquals(0, auth.seen().size());

    configMap("default", "auth-headers", Map.of("X-Tenant", "blue"));
    Await.until(
        "served once the ConfigMap exists",
        CHANGE,
        () -> probe.get("guarded.test", "/").status() == 200);
    assertEquals("blue", auth.last().headers().get("X-Tenant"));
  }
}
