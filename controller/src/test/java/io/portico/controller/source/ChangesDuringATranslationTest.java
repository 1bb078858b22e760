package io.portico.controller.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.Manifests;
import io.portico.router.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A change judged irrelevant against the latest translation is judged again once the next one is
 * published: the race behind an Ingress that kept saying "Service not found" after its Service had
 * arrived (the Ingress started a translation, the Service came while it ran, judged against the
 * translation before, which referred to no such Service).
 */
@EnableKubernetesMockClient(crud = true)
class ChangesDuringATranslationTest {

  private static final Duration ARRIVAL = Duration.ofSeconds(15);
  private static final ObjectKey SERVICE = new ObjectKey("default", "later-svc");

  KubernetesMockServer server;
  KubernetesClient client;

  // What "the latest published translation" refers to, set by each test.
  private final Set<ObjectKey> referenced = ConcurrentHashMap.newKeySet();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private KubernetesSource source;

  private KubernetesSource start() throws Exception {
    source =
        new KubernetesSource(
            client,
            new KubernetesSource.Settings(
                List.of(), KubernetesSource.EndpointsApi.ENDPOINTSLICES, Duration.ofSeconds(20)),
            new KubernetesSource.References() {
              @Override
              public boolean service(ObjectKey service) {
                return referenced.contains(service);
              }

              @Override
              public boolean secret(ObjectKey secret) {
                return false;
              }

              @Override
              public boolean configMap(ObjectKey configMap) {
                return false;
              }
            });
    source.start(
        new ChangeListener() {
          @Override
          public void changed(String reason) {
            requests.add(reason);
          }

          @Override
          public void changedSettled(String reason) {
            requests.add(reason);
          }
        });
    return source;
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
  }

  /** Applies the Service and waits until the source holds it and its slice. */
  private void serviceArrives() throws Exception {
    ClusterHarness.apply(client, Manifests.service("later-svc", 8080));
    Await.until(
        "the Service and its slice in the snapshot",
        ARRIVAL,
        () ->
            source.snapshot().service(SERVICE) != null
                && source.snapshot().endpointSlices(SERVICE).size() == 1);
  }

  @Test
  void aServiceTheNewTranslationRefersToAsksForAnother() throws Exception {
    start();
    serviceArrives();
    assertEquals(
        List.of(), requests, "judged against a translation that refers to no such Service");

    // The translation in flight when it arrived refers to it, and is published now.
    referenced.add(SERVICE);
    source.translationPublished();

    assertEquals(List.of("objects changed during a translation"), requests);
    source.translationPublished();
    assertEquals(1, requests.size(), "each change is judged again once, after the next publish");
  }

  @Test
  void aServiceNoTranslationRefersToStaysIrrelevant() throws Exception {
    start();
    serviceArrives();
    source.translationPublished();
    assertTrue(requests.isEmpty(), "no translation refers to it: " + requests);
  }
}
