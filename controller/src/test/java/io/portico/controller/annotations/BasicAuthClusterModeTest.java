package io.portico.controller.annotations;

import static io.portico.controller.annotations.BasicAuthThroughTheServerTest.ingress;
import static io.portico.controller.annotations.BasicAuthThroughTheServerTest.secret;
import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portico.controller.Controller;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.Manifests;
import io.portico.router.echo.EchoBackend;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Basic-auth Secrets from the API server (fabric8's mock in CRUD mode, real informers): the route
 * answers 503 with a Warning Event on the Ingress while its Secret is missing, then the Secret
 * created, updated and deleted takes effect without a restart.
 */
@EnableKubernetesMockClient(crud = true)
class BasicAuthClusterModeTest {

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

  private int status(HttpProbe probe, String user, String password) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    String pair = user + ":" + password;
    headers.add(
        "authorization",
        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    return probe.send(HttpMethod.GET, "auth.test", "/", headers, Buffer.buffer()).status();
  }

  @Test
  void aSecretCreatedUpdatedAndDeletedTakesEffect() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    ClusterHarness.apply(client, Manifests.service("app-svc", app.port()));
    ClusterHarness.apply(
        client, ingress("app", "auth.test", "auth-type: basic", "auth-secret: basic-auth"));
    controller =
        ClusterHarness.start(
            client.getConfiguration(), "solo", Optional.of(new ObjectKey("portico", "portico")));
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());

    Await.until(
        "503 without the Secret", CHANGE, () -> status(probe, "alice", "wonderland") == 503);
    Await.until(
        "a Warning Event naming the Secret",
        CHANGE,
        () ->
            client.v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(BasicAuthClusterModeTest::namesTheMissingSecret));

    ClusterHarness.apply(
        client, secret("basic-auth", "auth", "alice:" + BasicAuthFamilyTest.ALICE + "\n"));
    Await.until("the created Secret", CHANGE, () -> status(probe, "alice", "wonderland") == 200);
    assertEquals(401, status(probe, "alice", "looking-glass"));

    ClusterHarness.apply(
        client, secret("basic-auth", "auth", "carol:" + BasicAuthFamilyTest.CAROL + "\n"));
    Await.until("the updated Secret", CHANGE, () -> status(probe, "carol", "secret") == 200);
    assertEquals(401, status(probe, "alice", "wonderland"), "the old user is gone");

    client.secrets().inNamespace("default").withName("basic-auth").delete();
    Await.until("503 once deleted", CHANGE, () -> status(probe, "carol", "secret") == 503);
  }

  private static boolean namesTheMissingSecret(Event event) {
    return "Warning".equals(event.getType())
        && "Ingress".equals(event.getInvolvedObject().getKind())
        && "app".equals(event.getInvolvedObject().getName())
        && event.getMessage() != null
        && event.getMessage().contains("default/basic-auth does not");
  }
}
