package io.portico.controller.examples;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.Finding;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/cert-manager-http01.yaml through the real server: cert-manager's HTTP-01 solver Ingress
 * answers over plain HTTP on a host whose other Ingress forces HTTPS, as the ACME server needs.
 */
class CertManagerSolverTest {

  private static final Path EXAMPLE = Path.of("..", "examples", "cert-manager-http01.yaml");
  private static final String CHALLENGE =
      "/.well-known/acme-challenge/wDQ6ZZsR9DBVD-uWzg1hEY6z3dmkEr4Ocp6bUmHhrTQ";

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
  void theSolverAnswersOverPlainHttpWhileTheHostForcesHttps() throws Exception {
    EchoBackend shop = await(EchoBackend.start(vertx.vertx(), "shop", "127.0.0.1", 0));
    EchoBackend solver = await(EchoBackend.start(vertx.vertx(), "solver", "127.0.0.1", 0));
    Files.copy(EXAMPLE, folder.resolve("cert-manager-http01.yaml"));
    // The solver's Service listens on 8089, as cert-manager makes it.
    Files.writeString(
        folder.resolve("services.yaml"),
        Manifests.service("shop", shop.port())
            + "---\n"
            + Manifests.service("cm-acme-http-solver-lqh8r", solver.port())
                .replace("port: 80}", "port: 8089}"));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2))
                .admin("127.0.0.1", 0)
                .build());
    HttpProbe client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the example's rules",
        Duration.ofSeconds(20),
        () -> client.get("shop.example.test", "/").status() == 308);

    HttpProbe.Answer challenge = client.get("shop.example.test", CHALLENGE);
    assertEquals(200, challenge.status());
    assertEquals("solver", challenge.backend());
    assertEquals(CHALLENGE, challenge.json().getString("uri"));
    HttpProbe.Answer shopPage = client.get("shop.example.test", "/cart");
    assertEquals(308, shopPage.status());
    assertEquals("https://shop.example.test/cart", shopPage.headers().get("location"));

    List<Finding> warnings =
        controller.latestTranslation().findings().stream()
            .filter(finding -> finding.severity() == Finding.Severity.WARNING)
            .filter(finding -> finding.subject().key().name().startsWith("cm-acme"))
            .toList();
    assertTrue(warnings.isEmpty(), warnings.toString());
  }
}
