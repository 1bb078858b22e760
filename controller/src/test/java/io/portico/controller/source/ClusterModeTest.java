package io.portico.controller.source;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portico.controller.Controller;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.Manifests;
import io.portico.controller.testing.TcpRelay;
import io.portico.router.echo.EchoBackend;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.SteadyLoad;
import io.portico.router.testing.TestVertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The controller against fabric8's mock API server (CRUD mode) with the real informers. */
@EnableKubernetesMockClient(crud = true)
class ClusterModeTest {

  private static final Duration CHANGE = Duration.ofSeconds(15);
  // A watch that starts over waits out the client's reconnect backoff (see its use).
  private static final Duration RECONNECT = Duration.ofSeconds(60);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  KubernetesMockServer server;
  KubernetesClient client;

  private EchoBackend app1;
  private EchoBackend app2;
  private final List<Controller> controllers = new ArrayList<>();

  @BeforeEach
  void backends() throws Exception {
    app1 = await(EchoBackend.start(vertx.vertx(), "app1", "127.0.0.1", 0));
    app2 = await(EchoBackend.start(vertx.vertx(), "app2", "127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    controllers.forEach(Controller::close);
  }

  private Controller start(String identity) throws Exception {
    Controller controller =
        ClusterHarness.start(
            client.getConfiguration(), identity, Optional.of(new ObjectKey("portico", "portico")));
    controllers.add(controller);
    return controller;
  }

  /** A controller that reaches the API server through {@code relay}, to be cut off and back. */
  private Controller startThrough(TcpRelay relay) throws Exception {
    Controller controller =
        ClusterHarness.start(
            ClusterHarness.via(client.getConfiguration(), relay.port()), "solo", Optional.empty());
    controllers.add(controller);
    return controller;
  }

  private static String backendOf(HttpProbe probe, String host, String path) throws Exception {
    HttpProbe.Answer answer = probe.get(host, path);
    return answer.status() == 200 ? answer.backend() : Integer.toString(answer.status());
  }

  @Test
  void createUpdateAndDeleteOfEachKindChangeRouting() throws Exception {
    ClusterHarness.apply(client, Manifests.service("app1-svc", app1.port()));
    ClusterHarness.apply(client, Manifests.ingress("app", "app.test", "/app1", "app1-svc"));
    Controller controller = start("solo");
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the Ingress to serve", CHANGE, () -> backendOf(probe, "app.test", "/app1").equals("app1"));

    // EndpointSlice scale up: a second slice adds app2's endpoint; both answer.
    ClusterHarness.apply(client, Manifests.service("app1-svc", app1.port(), app2.port()));
    Set<String> seen = new HashSet<>();
    Await.until(
        "both endpoints to answer",
        CHANGE,
        () -> {
          seen.add(backendOf(probe, "app.test", "/app1"));
          return seen.containsAll(Set.of("app1", "app2"));
        });
    // Scale down: the slice goes, so does its endpoint.
    client.discovery().v1().endpointSlices().inNamespace("default").withName("app1-svc-1").delete();
    Await.until("the scaled-down endpoint to go", CHANGE, () -> allAnswer(probe, "app1"));

    // Ingress update: the path moves.
    ClusterHarness.apply(client, Manifests.ingress("app", "app.test", "/v2", "app1-svc"));
    Await.until("the new path", CHANGE, () -> backendOf(probe, "app.test", "/v2").equals("app1"));
    assertEquals("404", backendOf(probe, "app.test", "/app1"));

    // Service delete: the rule stays and answers 503; re-create: it serves again.
    client.services().inNamespace("default").withName("app1-svc").delete();
    Await.until(
        "503 without the Service", CHANGE, () -> backendOf(probe, "app.test", "/v2").equals("503"));
    ClusterHarness.apply(client, Manifests.service("app1-svc", app1.port()));
    Await.until(
        "the Service back", CHANGE, () -> backendOf(probe, "app.test", "/v2").equals("app1"));

    // Ingress delete: the host is gone.
    client.network().v1().ingresses().inNamespace("default").withName("app").delete();
    Await.until(
        "the deleted Ingress", CHANGE, () -> backendOf(probe, "app.test", "/v2").equals("404"));
  }

  /** As an API server records them on every object: which manager set which field. */
  private static String withManagedFields(String manifests) {
    return manifests.replace(
        "namespace: default",
        "namespace: default, managedFields: [{manager: kubectl, operation: Update, apiVersion: v1,"
            + " fieldsType: FieldsV1, fieldsV1: {'f:metadata': {'f:labels': {}}, 'f:spec': {}}}]");
  }

  @Test
  void keepsNoManagedFieldsOfWhatItWatches() throws Exception {
    ClusterHarness.apply(client, withManagedFields(Manifests.service("app1-svc", app1.port())));
    ClusterHarness.apply(
        client, withManagedFields(Manifests.ingress("app", "app.test", "/app1", "app1-svc")));
    Ingress stored = client.network().v1().ingresses().inNamespace("default").withName("app").get();
    assertEquals(1, stored.getMetadata().getManagedFields().size(), "the API holds them");
    assertEquals(
        1,
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace("default")
            .withName("app1-svc-0")
            .get()
            .getMetadata()
            .getManagedFields()
            .size(),
        "the slice too");
    Controller controller = start("solo");
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the Ingress to serve", CHANGE, () -> backendOf(probe, "app.test", "/app1").equals("app1"));
    assertNoManagedFields(controller);

    // An update arrives through the watch, not the first list.
    ClusterHarness.apply(
        client, withManagedFields(Manifests.ingress("app", "app.test", "/v2", "app1-svc")));
    Await.until("the new path", CHANGE, () -> backendOf(probe, "app.test", "/v2").equals("app1"));
    assertNoManagedFields(controller);
  }

  private static void assertNoManagedFields(Controller controller) {
    ClusterSnapshot snapshot = controller.source().snapshot();
    ObjectKey service = new ObjectKey("default", "app1-svc");
    List<HasMetadata> objects = new ArrayList<>(snapshot.ingresses());
    objects.add(snapshot.service(service));
    objects.addAll(snapshot.endpointSlices(service));
    assertEquals(3, objects.size(), "Ingress, Service and its slice: " + objects);
    for (HasMetadata object : objects) {
      List<?> managed = object.getMetadata().getManagedFields();
      assertTrue(managed == null || managed.isEmpty(), "managedFields kept: " + object);
    }
  }

  private static boolean allAnswer(HttpProbe probe, String backend) throws Exception {
    for (int i = 0; i < 6; i++) {
      if (!backendOf(probe, "app.test", "/app1").equals(backend)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void servesOnlyItsOwnIngressClasses() throws Exception {
    ClusterHarness.apply(client, Manifests.service("svc", app1.port()));
    ClusterHarness.apply(
        client,
        """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: nginx}
        spec: {controller: k8s.io/ingress-nginx}
        """);
    ClusterHarness.apply(
        client, Manifests.ingress("theirs", "nginx.test", "/", "svc").replace("portico", "nginx"));
    ClusterHarness.apply(
        client,
        Manifests.ingress("classless", "classless.test", "/", "svc")
            .replace("  ingressClassName: portico\n", ""));
    ClusterHarness.apply(client, Manifests.ingress("ours", "ours.test", "/", "svc"));
    Controller controller = start("solo");
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until("our Ingress", CHANGE, () -> backendOf(probe, "ours.test", "/").equals("app1"));
    assertEquals("404", backendOf(probe, "nginx.test", "/"));
    assertEquals("404", backendOf(probe, "classless.test", "/"));

    // Portico's IngressClass becomes the cluster default: Ingresses without a class are ours.
    ClusterHarness.apply(
        client,
        """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: portico
          annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
        spec: {controller: portico.io/ingress-controller}
        """);
    Await.until(
        "the class-less Ingress",
        CHANGE,
        () -> backendOf(probe, "classless.test", "/").equals("app1"));
    assertEquals("404", backendOf(probe, "nginx.test", "/"));
  }

  @Test
  void oneOfTwoReplicasWritesStatusFromThePublishedService() throws Exception {
    ClusterHarness.apply(client, Manifests.service("app1-svc", app1.port()));
    ClusterHarness.apply(client, Manifests.ingress("app", "app.test", "/app1", "app1-svc"));
    ClusterHarness.apply(client, publishService("203.0.113.10"));
    Controller a = start("replica-a");
    Controller b = start("replica-b");
    Await.until("exactly one leader", CHANGE, () -> a.leading() ^ b.leading());
    Await.until(
        "the published address", CHANGE, () -> statusOf("app").equals(Set.of("203.0.113.10")));
    // Both replicas serve, leader or not.
    assertEquals(
        "app1", backendOf(new HttpProbe(vertx.vertx(), a.httpPort()), "app.test", "/app1"));
    assertEquals(
        "app1", backendOf(new HttpProbe(vertx.vertx(), b.httpPort()), "app.test", "/app1"));

    // The published Service's address changes: every owned Ingress follows.
    ClusterHarness.apply(client, publishService("203.0.113.20"));
    Await.until("the new address", CHANGE, () -> statusOf("app").equals(Set.of("203.0.113.20")));

    // Nothing changed: no write. A translation that changes nothing for status writes nothing.
    int writes = statusWrites();
    ClusterHarness.apply(client, Manifests.ingress("other", "other.test", "/", "app1-svc"));
    Await.until(
        "the second Ingress's status",
        CHANGE,
        () -> statusOf("other").equals(Set.of("203.0.113.20")));
    assertEquals(writes + 1, statusWrites(), "only the new Ingress's status was written");

    // The leader goes: the other replica takes the Lease and keeps status current.
    Controller leader = a.leading() ? a : b;
    Controller follower = leader == a ? b : a;
    leader.close();
    controllers.remove(leader);
    Await.until("the follower to lead", CHANGE, follower::leading);
    ClusterHarness.apply(client, publishService("203.0.113.30"));
    Await.until(
        "the new leader's write", CHANGE, () -> statusOf("app").equals(Set.of("203.0.113.30")));

    // An Ingress that stops being Portico's loses Portico's address.
    ClusterHarness.apply(
        client,
        Manifests.ingress("other", "other.test", "/", "app1-svc")
            .replace("portico", "someone-else"));
    Await.until("the address to be removed", CHANGE, () -> statusOf("other").isEmpty());
  }

  private static String publishService(String ip) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: portico, namespace: portico}
        spec: {type: LoadBalancer, clusterIP: 10.96.0.10, ports: [{name: http, port: 80}]}
        status: {loadBalancer: {ingress: [{ip: %s}]}}
        """
        .formatted(ip);
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

  /** Status writes recorded by the mock so far (the log is kept across calls). */
  private final List<String> requestLog = new ArrayList<>();

  private int statusWrites() throws InterruptedException {
    io.fabric8.mockwebserver.http.RecordedRequest request;
    while ((request = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
      requestLog.add(request.getMethod() + " " + request.getPath());
    }
    return (int)
        requestLog.stream()
            .filter(r -> r.startsWith("PUT ") && r.contains("/ingresses/") && r.endsWith("/status"))
            .count();
  }

  @Test
  void findingsBecomeEventsOnceAndAFirstConfigurationANormalEvent() throws Exception {
    ClusterHarness.apply(client, Manifests.ingress("broken", "broken.test", "/", "ghost-svc"));
    start("solo");
    Await.until(
        "a ServiceNotFound warning", CHANGE, () -> events("broken", "ServiceNotFound") == 1);
    Await.until("a Configured event", CHANGE, () -> events("broken", "Configured") == 1);
    // Another translation with the same problem: no second event.
    ClusterHarness.apply(client, Manifests.service("unrelated", app1.port()));
    ClusterHarness.apply(client, Manifests.ingress("fine", "fine.test", "/", "unrelated"));
    Await.until("the next translation's events", CHANGE, () -> events("fine", "Configured") == 1);
    assertEquals(1, events("broken", "ServiceNotFound"));
    Event warning =
        client.v1().events().inNamespace("default").list().getItems().stream()
            .filter(e -> e.getReason().equals("ServiceNotFound"))
            .findFirst()
            .orElseThrow();
    assertEquals("Warning", warning.getType());
    assertEquals("Ingress", warning.getInvolvedObject().getKind());
    assertTrue(warning.getMessage().contains("default/ghost-svc"), warning.getMessage());
  }

  private long events(String ingress, String reason) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(
            e -> ingress.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .count();
  }

  @Test
  void survivesTheApiServerGoingAwayAndRepairsWhatItMissed() throws Exception {
    ClusterHarness.apply(client, Manifests.service("app1-svc", app1.port()));
    ClusterHarness.apply(client, Manifests.ingress("app", "app.test", "/app1", "app1-svc"));
    ClusterHarness.apply(client, Manifests.ingress("doomed", "doomed.test", "/", "app1-svc"));
    TcpRelay relay = new TcpRelay(vertx.vertx(), server.getPort());
    Controller controller = startThrough(relay);
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the first configuration",
        CHANGE,
        () -> backendOf(probe, "doomed.test", "/").equals("app1"));

    SteadyLoad load =
        SteadyLoad.start(
            vertx.vertx(), controller.httpPort(), "app.test", "/app1", Duration.ofSeconds(90));
    try {
      relay.cut();
      Await.until(
          "the outage to be noticed",
          CHANGE,
          () -> !((KubernetesSource) controller.source()).apiServerUp());
      // While Portico cannot see the API server: a delete and a create happen.
      client.network().v1().ingresses().inNamespace("default").withName("doomed").delete();
      ClusterHarness.apply(client, Manifests.ingress("newcomer", "new.test", "/", "app1-svc"));
      assertEquals(
          "app1", backendOf(probe, "doomed.test", "/"), "the last good configuration serves");
      relay.restore();
      Await.until(
          "the reconnect", CHANGE, () -> ((KubernetesSource) controller.source()).apiServerUp());
      Await.until(
          "the missed delete", CHANGE, () -> backendOf(probe, "doomed.test", "/").equals("404"));
      Await.until(
          "the missed create", CHANGE, () -> backendOf(probe, "new.test", "/").equals("app1"));
    } finally {
      load.close();
    }
    assertTrue(load.sent() > 0);
    assertEquals(
        List.of(), load.failures(), "requests failed during the outage (" + load.sent() + " sent)");
  }

  @Test
  void holdsOneCopyOfEachObjectAfterTheWatchStartsOver() throws Exception {
    ClusterHarness.apply(client, Manifests.service("app1-svc", app1.port()));
    ClusterHarness.apply(client, Manifests.ingress("app", "app.test", "/app1", "app1-svc"));
    TcpRelay relay = new TcpRelay(vertx.vertx(), server.getPort());
    Controller controller = startThrough(relay);
    KubernetesSource source = (KubernetesSource) controller.source();
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the Ingress to serve", CHANGE, () -> backendOf(probe, "app.test", "/app1").equals("app1"));

    // New watches: the mock API server sends every object again at the start of each, as a
    // relist does after a 410: unchanged (the same resourceVersion), but new copies.
    relay.cut();
    relay.restore();
    // A change on each watched kind after the replays, so once it serves they have all arrived.
    ClusterHarness.apply(client, Manifests.service("later-svc", app2.port()));
    ClusterHarness.apply(client, Manifests.ingress("later", "later.test", "/", "later-svc"));
    // Each informer reconnects on its own, with the client's backoff (1 s, doubling after each
    // attempt that fails): on a loaded machine one attempt made before the relay accepts again
    // puts that kind seconds behind the others, so this waits longer than a change does.
    Await.until(
        "the change after the replays",
        RECONNECT,
        () -> backendOf(probe, "later.test", "/").equals("app2"));

    // Each kind's watch starts over on its own: a replay may still be arriving on one kind when
    // another's change has served, so the copies are awaited, not read once.
    ObjectKey ingress = new ObjectKey("default", "app");
    ObjectKey service = new ObjectKey("default", "app1-svc");
    ObjectKey slice = new ObjectKey("default", "app1-svc-0");
    Await.until(
        "the snapshot and the informers to hold one copy of the Ingress, Service and slice",
        CHANGE,
        () -> {
          ClusterSnapshot snapshot = source.snapshot();
          List<EndpointSlice> slices = snapshot.endpointSlices(service);
          return source.storedCopy(Ingress.class, ingress) == snapshot.ingress(ingress)
              && source.storedCopy(Service.class, service) == snapshot.service(service)
              && slices.size() == 1
              && source.storedCopy(EndpointSlice.class, slice) == slices.get(0);
        });
    ClusterSnapshot snapshot = source.snapshot();
    assertNotNull(snapshot.ingress(ingress), "the Ingress is in the snapshot");
    assertSame(source.storedCopy(Ingress.class, ingress), snapshot.ingress(ingress), "Ingress");
    assertEquals("app1", backendOf(probe, "app.test", "/app1"));
  }

  @Test
  void watchesOnlyTheNamespacesItIsGiven() throws Exception {
    ClusterHarness.apply(client, Manifests.service("svc", app1.port()));
    ClusterHarness.apply(
        client,
        (Manifests.service("svc", app2.port())
                + "---\n"
                + Manifests.ingress("theirs", "theirs.test", "/", "svc"))
            .replace("namespace: default", "namespace: elsewhere"));
    ClusterHarness.apply(client, Manifests.ingress("ours", "ours.test", "/", "svc"));
    Controller controller =
        ClusterHarness.start(
            client.getConfiguration(),
            "solo",
            Optional.empty(),
            KubernetesSource.EndpointsApi.ENDPOINTSLICES,
            List.of("default"));
    controllers.add(controller);
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the watched namespace's Ingress",
        CHANGE,
        () -> backendOf(probe, "ours.test", "/").equals("app1"));
    assertEquals(
        "404", backendOf(probe, "theirs.test", "/"), "an Ingress of an unwatched namespace");
    assertTrue(
        controller.source().snapshot().ingresses().stream()
            .allMatch(i -> "default".equals(i.getMetadata().getNamespace())),
        "nothing of the other namespace was listed");
  }

  @Test
  void readsEndpointsWhenToldTo() throws Exception {
    ClusterHarness.apply(
        client,
        """
        apiVersion: v1
        kind: Service
        metadata: {name: legacy, namespace: default}
        spec: {ports: [{name: http, port: 80}]}
        ---
        apiVersion: v1
        kind: Endpoints
        metadata: {name: legacy, namespace: default}
        subsets: [{addresses: [{ip: 127.0.0.1}], ports: [{name: http, port: %d}]}]
        """
            .formatted(app2.port()));
    ClusterHarness.apply(client, Manifests.ingress("legacy", "legacy.test", "/", "legacy"));
    Controller controller =
        ClusterHarness.start(
            client.getConfiguration(),
            "solo",
            Optional.empty(),
            KubernetesSource.EndpointsApi.ENDPOINTS);
    controllers.add(controller);
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the Endpoints-backed route",
        CHANGE,
        () -> backendOf(probe, "legacy.test", "/").equals("app2"));
  }
}
