package io.portico.controller.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.MockApiServer;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same objects give the same routing table whether they come from the Kubernetes API (the mock
 * server, the real informers) or from a folder of manifests.
 */
class SameRoutingInBothModesTest {

  // fabric8's mock, without the stall its own extension has when a watch closes mid-send.
  private MockApiServer api;
  private KubernetesClient client;
  @TempDir Path folder;

  @BeforeEach
  void startApi() {
    api = new MockApiServer();
    client = api.client();
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "basic-host-paths",
        "service-ports",
        "endpoint-conditions",
        "ingress-classes",
        "default-ingress-class",
        "implementation-specific-and-wildcards",
      })
  void identicalTables(String fixture) throws Exception {
    String yaml =
        Files.readString(
            Path.of(getClass().getResource("/translate/" + fixture + ".yaml").toURI()));
    Files.writeString(folder.resolve(fixture + ".yaml"), yaml);
    ClusterHarness.apply(client, yaml);

    String fromFolder;
    try (Controller manifests =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build())) {
      Await.until(
          "the folder's table",
          Duration.ofSeconds(10),
          () -> manifests.live().current().generation() > 0);
      fromFolder = manifests.live().current().routes().dump();
    }
    String fromCluster;
    try (Controller cluster =
        ClusterHarness.start(client.getConfiguration(), "solo", Optional.empty())) {
      Await.until(
          "the cluster's table",
          Duration.ofSeconds(10),
          () -> cluster.live().current().generation() > 0);
      fromCluster = cluster.live().current().routes().dump();
    }
    assertEquals(fromFolder, fromCluster);
  }
}
