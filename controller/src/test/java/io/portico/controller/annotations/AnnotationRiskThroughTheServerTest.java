package io.portico.controller.annotations;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.json.JsonObject;
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

/**
 * {@code annotations-risk-level} through the real server: under {@code Medium}, an Ingress with a
 * High annotation ({@code server-alias}, otherwise only ignored) answers 404 and is listed refused
 * in {@code /routes} with its risk, while one with a Medium annotation serves; raising the level in
 * the ConfigMap serves it, lowering it refuses the other.
 */
class AnnotationRiskThroughTheServerTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private Controller controller;
  private HttpProbe client;
  private HttpProbe admin;

  @BeforeEach
  void start() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    write(
        "objects.yaml",
        Manifests.service("app-svc", app.port())
            + "---\n"
            + ingress("aliased", "aliased.test", "server-alias: www.aliased.test")
            + "---\n"
            + ingress("rewritten", "rewritten.test", "rewrite-target: /"));
    write("config.yaml", configMap("Medium"));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .translator(
                    TranslatorSettings.defaults()
                        .withConfigMap(new ObjectKey("portico", "portico-config")))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    admin = new HttpProbe(vertx.vertx(), controller.adminPort());
    Await.until("the first configuration", CHANGE, () -> status("rewritten.test") == 200);
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  @Test
  void anIngressRiskierThanTheLevelIsNotServedUntilTheLevelAllowsIt() throws Exception {
    assertEquals(404, status("aliased.test"));
    assertEquals(List.of("default/aliased"), refused());
    JsonObject refusing =
        admin
            .get("localhost", "/routes")
            .json()
            .getJsonArray("refused")
            .getJsonObject(0)
            .getJsonArray("annotations")
            .getJsonObject(0);
    assertEquals("nginx.ingress.kubernetes.io/server-alias", refusing.getString("annotation"));
    assertEquals("refused", refusing.getString("state"));
    assertEquals(
        "risk High, above the ConfigMap's annotations-risk-level Medium",
        refusing.getString("reason"));

    // A changed level reads every Ingress again, though none of them changed.
    write("config.yaml", configMap("High"));
    Await.until("the aliased Ingress served", CHANGE, () -> status("aliased.test") == 200);
    assertEquals(List.of(), refused());

    write("config.yaml", configMap("Low"));
    Await.until("the rewritten Ingress refused", CHANGE, () -> status("rewritten.test") == 404);
    assertEquals(404, status("aliased.test"));
    assertEquals(List.of("default/aliased", "default/rewritten"), refused());
  }

  private List<String> refused() throws Exception {
    return admin.get("localhost", "/routes").json().getJsonArray("refused").stream()
        .map(JsonObject.class::cast)
        .map(r -> r.getString("ingress"))
        .sorted()
        .toList();
  }

  private int status(String host) throws Exception {
    return client.get(host, "/").status();
  }

  private void write(String file, String text) throws Exception {
    // Written aside and moved in, so the folder never shows a half-written file.
    Path temporary = folder.resolve("." + file + ".tmp");
    Files.writeString(temporary, text);
    Files.move(temporary, folder.resolve(file), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String configMap(String level) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: portico-config, namespace: portico}
        data:
          annotations-risk-level: %s
        """
        .formatted(level);
  }

  private static String ingress(String name, String host, String annotation) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: default
          annotations:
            nginx.ingress.kubernetes.io/%s
        spec:
          ingressClassName: portico
          rules:
          - host: %s
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: app-svc, port: {number: 80}}}}
        """
        .formatted(name, annotation, host);
  }
}
