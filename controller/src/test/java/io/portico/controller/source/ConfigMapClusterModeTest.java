package io.portico.controller.source;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.status.ClusterReporter;
import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.SteadyLoad;
import io.portico.router.testing.TestVertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The controller ConfigMap in a cluster ({@code --configmap}), watched through the mock API server
 * and edited while Portico serves: each edit applies to the next requests, no request fails, and
 * when the ConfigMap is deleted the defaults return. Other ConfigMaps are held (add-headers and
 * custom-headers name them) but never read as the controller's.
 */
@EnableKubernetesMockClient(crud = true)
class ConfigMapClusterModeTest {

  private static final Duration CHANGE = Duration.ofSeconds(15);
  private static final ObjectKey CONFIG_MAP = new ObjectKey("portico", "portico-config");

  @RegisterExtension final TestVertx vertx = new TestVertx();
  KubernetesMockServer server;
  KubernetesClient client;

  private static String configMap(String name, String code) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: portico}
        data: {http-redirect-code: "%s"}
        """
        .formatted(name, code);
  }

  @Test
  void anEditedConfigMapAppliesWhileServingAndNoRequestFails() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    ClusterHarness.apply(client, Manifests.service("app-svc", app.port()));
    ClusterHarness.apply(
        client,
        Manifests.tlsIngress("secure", "app-svc", "secure.test", "secure-tls")
            + "---\n"
            + Manifests.ingress("plain", "plain.test", "/", "app-svc"));
    ClusterHarness.apply(client, configMap("portico-config", "301"));
    ClusterHarness.apply(client, configMap("someone-else", "302"));

    try (Controller controller =
        Controller.start(
            ControllerSettings.builder(
                    new SourceSettings.Cluster(
                        client.getConfiguration(),
                        new KubernetesSource.Settings(
                            List.of(),
                            KubernetesSource.EndpointsApi.ENDPOINTSLICES,
                            Duration.ofSeconds(20)),
                        new ClusterReporter.Settings(
                            "portico",
                            "portico-leader",
                            "solo",
                            Optional.empty(),
                            List.of(),
                            false,
                            Duration.ofSeconds(4),
                            Duration.ofSeconds(2),
                            Duration.ofMillis(200))))
                .translator(TranslatorSettings.defaults().withConfigMap(CONFIG_MAP))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build())) {
      HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());
      Await.until(
          "the ConfigMap's redirect status",
          CHANGE,
          () -> probe.get("secure.test", "/").status() == 301);
      // Other ConfigMaps are held (add-headers and custom-headers may name them), never read as
      // the controller's: someone-else's 302 does not apply.
      assertEquals(
          Set.of(CONFIG_MAP, new ObjectKey("portico", "someone-else")),
          Set.copyOf(
              controller
                  .source()
                  .snapshot()
                  .all(io.portico.controller.snapshot.Kinds.CONFIG_MAP)
                  .stream()
                  .map(ObjectKey::of)
                  .toList()),
          "the ConfigMaps of the watched namespaces");

      SteadyLoad plain =
          SteadyLoad.start(
              vertx.vertx(), controller.httpPort(), "plain.test", "/", Duration.ofSeconds(60));
      SteadyLoad redirected =
          SteadyLoad.start(
              vertx.vertx(),
              controller.httpPort(),
              "secure.test",
              "/",
              Duration.ofSeconds(60),
              Set.of(301, 307, 308));
      try {
        ClusterHarness.apply(client, configMap("portico-config", "307"));
        Await.until("the edit", CHANGE, () -> probe.get("secure.test", "/").status() == 307);
        client.configMaps().inNamespace("portico").withName("portico-config").delete();
        Await.until("the default", CHANGE, () -> probe.get("secure.test", "/").status() == 308);
      } finally {
        plain.close();
        redirected.close();
      }
      assertTrue(plain.sent() > 0 && redirected.sent() > 0, "the steady clients sent nothing");
      assertEquals(List.of(), plain.failures(), plain.sent() + " sent");
      assertEquals(List.of(), redirected.failures(), redirected.sent() + " sent");
    }
  }
}
