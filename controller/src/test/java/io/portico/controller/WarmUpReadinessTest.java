package io.portico.controller;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.OperationsSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.testing.Manifests;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness waits for the warm-up: the listeners serve at once, /readyz says why it is not ready
 * while the warm-up runs, and turns ready after it, with no warm-up request in the metrics.
 */
class WarmUpReadinessTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private Controller controller;

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void readinessFailsWhileWarmingUpAndTheWarmUpLeavesNoTrace() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    Files.writeString(
        folder.resolve("app.yaml"),
        Manifests.service("app-svc", app.port())
            + "---\n"
            + Manifests.ingress("app", "app.test", "/", "app-svc"));
    OperationsSettings warmUp =
        new OperationsSettings(
            OperationsSettings.defaults().accessLog(),
            false,
            Duration.ZERO,
            Duration.ofSeconds(30),
            OperationsSettings.SYNC_HOLDOFF,
            OperationsSettings.SYNC_MAX_DELAY,
            // Long enough that the first look at readiness comes well before it ends.
            Duration.ofSeconds(5));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .operations(warmUp)
                .build());
    HttpProbe admin = new HttpProbe(vertx.vertx(), controller.adminPort());
    Await.until(
        "the first configuration",
        Duration.ofSeconds(10),
        () -> !admin.get("localhost", "/readyz").text().contains("configuration"));
    assertEquals("not ready: warming up\n", admin.get("localhost", "/readyz").text());

    // The real listeners serve during the warm-up: readiness only keeps new traffic away.
    HttpProbe client = new HttpProbe(vertx.vertx(), controller.httpPort());
    assertEquals(200, client.get("app.test", "/during-warm-up").status());

    Await.until(
        "readiness after the warm-up",
        Duration.ofSeconds(30),
        () -> admin.get("localhost", "/readyz").status() == 200);
    String metrics = admin.get("localhost", "/metrics").text();
    assertEquals(
        1, app.requests(), "the app saw one request: the warm-up has a backend of its own");
    assertFalse(metrics.contains("portico-warm-up"), "no warm-up route in the metrics");
  }
}
