package io.portico.controller.status;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.portico.controller.Controller;
import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.Manifests;
import io.portico.router.echo.EchoBackend;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In a cluster, an Ingress refused for an annotation is not served, gets a Warning Event naming the
 * annotation, and loses Portico's address from its status; removing the annotation serves it again.
 * An ignored annotation is a Normal event.
 */
@EnableKubernetesMockClient(crud = true)
class RefusedIngressClusterTest {

  private static final Duration CHANGE = Duration.ofSeconds(15);
  private static final String ADDRESS = "203.0.113.7";

  @RegisterExtension final TestVertx vertx = new TestVertx();
  KubernetesClient client;
  private Controller controller;

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void aRefusedIngressIsNotServedLosesItsAddressAndGetsAWarningEvent() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    ClusterHarness.apply(client, Manifests.service("app-svc", app.port()));
    ClusterHarness.apply(client, Manifests.ingress("guarded", "guarded.test", "/", "app-svc"));
    ClusterHarness.apply(client, Manifests.ingress("open", "open.test", "/", "app-svc"));
    controller =
        ClusterHarness.replica(
            client.getConfiguration(),
            "solo",
            Optional.empty(),
            List.of(ADDRESS),
            ClusterHarness.Election.SHORT);
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until("both served", CHANGE, () -> probe.get("guarded.test", "/").status() == 200);
    Await.until("its address", CHANGE, () -> statusOf("guarded").equals(Set.of(ADDRESS)));

    // ingress-nginx would now inspect requests with ModSecurity; Portico cannot, so it serves
    // nothing. The edit keeps the status as it is: only Portico may take the address away.
    annotate("guarded", Map.of("nginx.ingress.kubernetes.io/enable-modsecurity", "true"));
    Await.until("not served", CHANGE, () -> probe.get("guarded.test", "/").status() == 404);
    Await.until("its address removed", CHANGE, () -> statusOf("guarded").isEmpty());
    Await.until("a refusal event", CHANGE, () -> refusal("guarded").isPresent());
    Event event = refusal("guarded").orElseThrow();
    assertEquals("Warning", event.getType());
    assertTrue(
        event.getMessage().contains("nginx.ingress.kubernetes.io/enable-modsecurity"),
        event.getMessage());
    assertEquals(200, probe.get("open.test", "/").status());
    assertEquals(Set.of(ADDRESS), statusOf("open"));

    // An ignored annotation is a plain fact: a Normal event, and the Ingress keeps serving.
    annotate("open", Map.of("nginx.ingress.kubernetes.io/proxy-buffering", "on"));
    Await.until("a notice event", CHANGE, () -> event("open", "AnnotationIgnored").isPresent());
    assertEquals("Normal", event("open", "AnnotationIgnored").orElseThrow().getType());
    assertEquals(200, probe.get("open.test", "/").status());

    // Without the annotation it serves again, with its address back.
    annotate("guarded", Map.of());
    Await.until("served again", CHANGE, () -> probe.get("guarded.test", "/").status() == 200);
    Await.until("its address back", CHANGE, () -> statusOf("guarded").equals(Set.of(ADDRESS)));
  }

  private void annotate(String ingress, Map<String, String> annotations) {
    client
        .network()
        .v1()
        .ingresses()
        .inNamespace("default")
        .withName(ingress)
        .edit(
            i -> {
              i.getMetadata().setAnnotations(annotations);
              return i;
            });
  }

  private Optional<Event> refusal(String ingress) {
    return event(ingress, "AnnotationRefused");
  }

  private Optional<Event> event(String ingress, String reason) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(
            e -> ingress.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .findFirst();
  }

  private Set<String> statusOf(String ingress) {
    Ingress current =
        client.network().v1().ingresses().inNamespace("default").withName(ingress).get();
    Set<String> ips = new HashSet<>();
    if (current != null
        && current.getStatus() != null
        && current.getStatus().getLoadBalancer() != null
        && current.getStatus().getLoadBalancer().getIngress() != null) {
      current.getStatus().getLoadBalancer().getIngress().forEach(e -> ips.add(e.getIp()));
    }
    return ips;
  }
}
