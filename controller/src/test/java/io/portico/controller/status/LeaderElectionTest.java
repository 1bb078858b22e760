package io.portico.controller.status;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.portico.controller.Controller;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.Manifests;
import io.portico.controller.testing.MockApiServer;
import io.portico.controller.testing.TcpRelay;
import io.portico.router.echo.EchoBackend;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas against the mock API server: after an outage longer than the Lease, one of them
 * leads again; and a replica whose Lease ran out by its own clock writes nothing, whatever its
 * elector still believes.
 */
class LeaderElectionTest {

  private static final Duration CHANGE = Duration.ofSeconds(15);
  private static final Optional<ObjectKey> PUBLISHED =
      Optional.of(new ObjectKey("portico", "portico"));

  @RegisterExtension final TestVertx vertx = new TestVertx();
  private MockApiServer api;
  private KubernetesClient client;
  private EchoBackend app;
  private final List<Controller> replicas = new ArrayList<>();
  private final List<TcpRelay> relays = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    api = new MockApiServer();
    client = api.client();
    app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    ClusterHarness.apply(client, Manifests.service("app-svc", app.port()));
    ClusterHarness.apply(client, Manifests.ingress("app", "app.test", "/", "app-svc"));
  }

  @AfterEach
  void stop() throws Exception {
    replicas.forEach(Controller::close);
    for (TcpRelay relay : relays) {
      relay.cut();
    }
    api.close();
  }

  @Test
  void aReplicaLeadsAndWritesAgainAfterEachOutageLongerThanTheLease() throws Exception {
    ClusterHarness.apply(client, publishService("203.0.113.10"));
    TcpRelay relay = new TcpRelay(vertx.vertx(), api.port());
    relays.add(relay);
    Controller a = replica("replica-a", relay, PUBLISHED, List.of(), ClusterHarness.Election.SHORT);
    Await.until("replica-a to lead", CHANGE, a::leading);
    Controller b = replica("replica-b", relay, PUBLISHED, List.of(), ClusterHarness.Election.SHORT);
    Await.until("the first status", CHANGE, () -> statusOf("app").equals(Set.of("203.0.113.10")));

    // Twice, so that each replica's elector has had to survive a lost Lease: fabric8's
    // LeaderElector ends for good when it loses the Lease, and a follower's keeps trying.
    for (String address : List.of("203.0.113.20", "203.0.113.30")) {
      relay.cut();
      Await.until(
          "no replica to lead without the API server", CHANGE, () -> !a.leading() && !b.leading());
      ClusterHarness.apply(client, publishService(address));
      Await.until("the Lease to run out", CHANGE, this::leaseExpired);
      relay.restore();
      Await.until("a replica to lead again", CHANGE, () -> a.leading() || b.leading());
      Await.until(
          "the new leader's write of " + address,
          CHANGE,
          () -> statusOf("app").equals(Set.of(address)));
    }
  }

  @Test
  void aReplicaPastItsLeaseByItsOwnClockWritesNothing() throws Exception {
    // Writes stop 6 s after the last renewal; the Lease is another's to take after 8 s. A
    // renewal that hangs holds fabric8's elector for up to 6 s per call, so it only gives up
    // (and calls its stop callback) about 12 s after the last renewal.
    ClusterHarness.Election election =
        new ClusterHarness.Election(
            Duration.ofSeconds(8), Duration.ofSeconds(6), Duration.ofMillis(200));
    Controller a = replica("replica-a", null, Optional.empty(), List.of("203.0.113.1"), election);
    Await.until("replica-a to lead", CHANGE, a::leading);
    Await.until("replica-a's status", CHANGE, () -> statusOf("app").equals(Set.of("203.0.113.1")));
    Controller b = replica("replica-b", null, Optional.empty(), List.of("203.0.113.2"), election);

    int stallFrom = api.stallLeaseCalls(ClusterHarness.userAgent("replica-a"));
    Await.until("replica-b to take the lapsed Lease", Duration.ofSeconds(30), b::leading);
    assertFalse(a.leading(), "replica-a leads by its own clock without having renewed");
    Await.until("replica-b's status", CHANGE, () -> statusOf("app").equals(Set.of("203.0.113.2")));
    // Something new for both replicas to write about; replica-a sees it too.
    ClusterHarness.apply(client, Manifests.ingress("late", "late.test", "/", "app-svc"));
    Await.until("replica-b's write", CHANGE, () -> statusOf("late").equals(Set.of("203.0.113.2")));
    HttpProbe probe = new HttpProbe(vertx.vertx(), a.httpPort());
    Await.until("replica-a to serve it", CHANGE, () -> probe.get("late.test", "/").status() == 200);

    // replica-b goes: replica-a takes the Lease back once its elector has given up and started
    // over, and writes its own address again.
    api.unstall();
    b.close();
    replicas.remove(b);
    Await.until(
        "replica-a's writes once it leads again",
        Duration.ofSeconds(30),
        () ->
            statusOf("app").equals(Set.of("203.0.113.1"))
                && statusOf("late").equals(Set.of("203.0.113.1")));

    List<MockApiServer.Call> calls = api.calls();
    String agent = ClusterHarness.userAgent("replica-a");
    int retaken =
        IntStream.range(stallFrom, calls.size())
            .filter(
                i -> calls.get(i).userAgent().equals(agent) && calls.get(i).takesLease("replica-a"))
            .findFirst()
            .orElse(calls.size());
    List<MockApiServer.Call> writesWithoutLease =
        calls.subList(stallFrom, retaken).stream()
            .filter(call -> call.userAgent().equals(agent) && call.write() && !call.toLease())
            .toList();
    assertEquals(
        List.of(), writesWithoutLease, "replica-a's writes between its lapse and its new Lease");
  }

  private Controller replica(
      String identity,
      TcpRelay relay,
      Optional<ObjectKey> publishService,
      List<String> statusAddresses,
      ClusterHarness.Election election)
      throws Exception {
    Controller replica =
        ClusterHarness.replica(
            relay == null
                ? client.getConfiguration()
                : ClusterHarness.via(client.getConfiguration(), relay.port()),
            identity,
            publishService,
            statusAddresses,
            election);
    replicas.add(replica);
    return replica;
  }

  /** Whether the Lease has gone unrenewed for longer than its duration, by the test's clock. */
  private boolean leaseExpired() {
    Lease lease =
        client.resources(Lease.class).inNamespace("portico").withName("portico-leader").get();
    return lease != null
        && lease
            .getSpec()
            .getRenewTime()
            .plusSeconds(lease.getSpec().getLeaseDurationSeconds())
            .isBefore(ZonedDateTime.now());
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
}
