package io.portico.controller.status;

import static io.portico.router.testing.TestVertx.await;

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
import io.portico.router.testing.TestVertx;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The leader keeps following the published Service's address, whatever becomes of its watch. */
class PublishedServiceTest {

  private static final Duration CHANGE = Duration.ofSeconds(15);
  private static final String PUBLISHED_WATCH = "/api/v1/namespaces/portico/services?";

  @RegisterExtension final TestVertx vertx = new TestVertx();
  private MockApiServer api;
  private KubernetesClient client;
  private TcpRelay relay;
  private Controller leader;

  @BeforeEach
  void start() throws Exception {
    api = new MockApiServer();
    client = api.client();
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    ClusterHarness.apply(client, Manifests.service("app-svc", app.port()));
    ClusterHarness.apply(client, Manifests.ingress("app", "app.test", "/", "app-svc"));
    relay = new TcpRelay(vertx.vertx(), api.port());
  }

  @AfterEach
  void stop() throws Exception {
    if (leader != null) {
      leader.close();
    }
    relay.cut();
    api.close();
  }

  @Test
  void followsTheAddressAfterAWatchThatBroke() throws Exception {
    ClusterHarness.apply(client, publishService("203.0.113.10"));
    leader =
        ClusterHarness.replica(
            ClusterHarness.via(client.getConfiguration(), relay.port()),
            "solo",
            Optional.of(new ObjectKey("portico", "portico")),
            List.of(),
            ClusterHarness.Election.SHORT);
    Await.until("the first status", CHANGE, () -> statusOf("app").equals(Set.of("203.0.113.10")));

    // Every watch starts over; the published Service's next one sends what no client can read,
    // which fabric8's informer, left to its default, takes as a reason to stop for good.
    api.breakNextWatch(PUBLISHED_WATCH);
    relay.cut();
    relay.restore();
    Await.until(
        "the broken watch",
        CHANGE,
        () ->
            api.calls().stream()
                .anyMatch(call -> call.code() == 101 && call.path().contains(PUBLISHED_WATCH)));
    ClusterHarness.apply(client, publishService("203.0.113.20"));
    Await.until("the new address", CHANGE, () -> statusOf("app").equals(Set.of("203.0.113.20")));
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
