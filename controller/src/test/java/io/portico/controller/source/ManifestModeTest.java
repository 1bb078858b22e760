package io.portico.controller.source;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.testing.Manifests;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.SteadyLoad;
import io.portico.router.testing.TestVertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The manifest folder drives routing: edits, additions, typos, renames and deletions. */
class ManifestModeTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;

  private EchoBackend app1;
  private EchoBackend app2;
  private Controller controller;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    app1 = await(EchoBackend.start(vertx.vertx(), "app1", "127.0.0.1", 0));
    app2 = await(EchoBackend.start(vertx.vertx(), "app2", "127.0.0.1", 0));
    Files.writeString(
        folder.resolve("services.yaml"),
        Manifests.service("app1-svc", app1.port())
            + "---\n"
            + Manifests.service("app2-svc", app2.port()));
    Files.writeString(
        folder.resolve("app.yaml"), Manifests.ingress("app", "app.test", "/app1", "app1-svc"));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until("the first configuration", CHANGE, () -> status("app.test", "/app1") == 200);
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  private int status(String host, String path) throws Exception {
    return client.get(host, path).status();
  }

  @Test
  void editsAdditionsTyposRenamesAndDeletionsChangeRoutingWithoutAFailedRequest() throws Exception {
    SteadyLoad load =
        SteadyLoad.start(
            vertx.vertx(),
            controller.httpPort(),
            "app.test",
            "/app1/steady",
            Duration.ofSeconds(60));
    try {
      // Edit: the Ingress gains a path.
      Files.writeString(
          folder.resolve("app.yaml"),
          Manifests.ingress("app", "app.test", "/app1", "app1-svc")
              .replace(
                  "      - {path: /app1,",
                  "      - {path: /app2, pathType: Prefix, backend: {service: {name: app2-svc, port: {number: 80}}}}\n      - {path: /app1,"));
      Await.until("the edited Ingress", CHANGE, () -> status("app.test", "/app2") == 200);
      assertEquals("app2", client.get("app.test", "/app2").backend());

      // Add: a new file with a new host.
      Files.writeString(
          folder.resolve("hello.yml"), Manifests.ingress("hello", "hello.test", "/", "app2-svc"));
      Await.until("the added file", CHANGE, () -> status("hello.test", "/") == 200);

      // A typo: the file no longer parses; what it last said keeps serving.
      Files.writeString(
          folder.resolve("hello.yml"),
          "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: hello\n");
      Await.until(
          "the parse error to be reported",
          CHANGE,
          () -> controllerErrors().values().stream().anyMatch(e -> e.contains("hello.yml:")));
      assertEquals(200, status("hello.test", "/"));

      // Rename: the objects move with the file.
      Files.writeString(
          folder.resolve("hello.yml"), Manifests.ingress("hello", "hello.test", "/", "app2-svc"));
      Await.until("the fixed file", CHANGE, () -> controllerErrors().isEmpty());
      Files.move(
          folder.resolve("hello.yml"),
          folder.resolve("hello-renamed.json.yaml"),
          StandardCopyOption.ATOMIC_MOVE);
      Await.until(
          "the renamed file to be read",
          CHANGE,
          () -> controllerFiles().contains("hello-renamed.json.yaml"));
      assertEquals(200, status("hello.test", "/"));

      // Delete: its routes go.
      Files.delete(folder.resolve("hello-renamed.json.yaml"));
      Await.until(
          "the deleted file's routes to go", CHANGE, () -> status("hello.test", "/") == 404);
    } finally {
      load.close();
    }
    assertTrue(load.sent() > 0, "the steady client sent nothing");
    assertEquals(
        List.of(), load.failures(), "requests failed during changes (" + load.sent() + " sent)");
  }

  @Test
  void theAdminServerAnswersHealthReadinessRoutesAndExplanations() throws Exception {
    HttpProbe admin = new HttpProbe(vertx.vertx(), controller.adminPort());
    assertEquals("ok\n", admin.get("localhost", "/healthz").text());
    assertEquals("ready\n", admin.get("localhost", "/readyz").text());

    io.vertx.core.json.JsonObject routes = admin.get("localhost", "/routes").json();
    assertEquals(controller.live().current().generation(), routes.getLong("generation"));
    java.time.Instant published = java.time.Instant.parse(routes.getString("publishedAt"));
    assertTrue(
        !published.isAfter(java.time.Instant.now())
            && published.isAfter(java.time.Instant.now().minusSeconds(60)),
        published.toString());
    io.vertx.core.json.JsonObject rule =
        routes.getJsonArray("hosts").getJsonObject(0).getJsonArray("routes").getJsonObject(0);
    assertEquals("/app1", rule.getString("path"));
    assertEquals("default/app1-svc:80", rule.getString("backend"));
    assertEquals("127.0.0.1:" + app1.port(), rule.getJsonArray("endpoints").getString(0));

    String text = admin.get("localhost", "/routes?format=text").text();
    assertTrue(text.contains("host app.test\n  Prefix /app1 -> default/app1-svc:80"), text);

    HttpProbe.Answer explained = admin.get("localhost", "/explain?url=http://app.test/app1/x");
    assertEquals(200, explained.status());
    assertTrue(
        explained.text().contains("match     Prefix /app1 from Ingress default/app"),
        explained.text());
    assertEquals(404, admin.get("localhost", "/explain?url=http://app.test/nope").status());
    assertEquals(400, admin.get("localhost", "/explain").status());
  }

  private java.util.Map<Path, String> controllerErrors() {
    return ((ManifestSource) controller.source()).errors();
  }

  private String controllerFiles() {
    return controller.live().current().routes().dump()
        + ((ManifestSource) controller.source()).files();
  }
}
