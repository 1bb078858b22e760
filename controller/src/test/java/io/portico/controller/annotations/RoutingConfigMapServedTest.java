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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller ConfigMap's routing keys through a real controller: {@code custom-http-errors}
 * sends the listed statuses of every Ingress that sets none to {@code --default-backend}, an
 * Ingress's own annotation wins, and an edit of the ConfigMap applies while serving; {@code
 * preserve-trailing-slash} and {@code http-redirect-code} reach the HTTPS and www redirects.
 */
class RoutingConfigMapServedTest {

  private static final Duration CHANGE = Duration.ofSeconds(20);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;

  private Controller controller;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    EchoBackend errors = await(EchoBackend.start(vertx.vertx(), "errors", "127.0.0.1", 0));
    // A backend that answers the status its path names: /status/404 is a 404.
    int statuses =
        await(
                vertx
                    .vertx()
                    .createHttpServer()
                    .requestHandler(
                        request -> {
                          String path = request.path();
                          int status =
                              path.startsWith("/status/")
                                  ? Integer.parseInt(path.substring(8))
                                  : 200;
                          request.response().setStatusCode(status).end();
                        })
                    .listen(0, "127.0.0.1"))
            .actualPort();
    write(
        "services.yaml",
        Manifests.service("statuses", statuses)
            + "---\n"
            + Manifests.service("errors", errors.port()));
    write(
        "ingresses.yaml",
        ingress("plain", "plain.test", "")
            + ingress("own", "own.test", "custom-http-errors: '500'")
            + ingress("off", "off.test", "disable-proxy-intercept-errors: 'true'")
            + ingress("forced", "forced.test", "force-ssl-redirect: 'true'")
            + ingress("www", "www-redirect.test", "from-to-www-redirect: 'true'"));
    write(
        "config.yaml",
        configMap(
            "custom-http-errors: \"404,503\"\n"
                + "preserve-trailing-slash: \"true\"\n"
                + "http-redirect-code: \"301\""));
    TranslatorSettings defaults = TranslatorSettings.defaults();
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .translator(
                    new TranslatorSettings(
                        defaults.ingressClass(),
                        defaults.controllerName(),
                        defaults.watchIngressWithoutClass(),
                        Optional.of(TranslatorSettings.ServiceRef.parse("default/errors")),
                        defaults.allowExternalNameServices(),
                        Optional.of(new ObjectKey("portico", "portico-config")),
                        defaults.snippetAnnotations()))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the ConfigMap's error pages",
        CHANGE,
        () -> client.get("plain.test", "/status/404").status() == 200);
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  /** An Ingress of one Prefix rule {@code /} to the statuses backend, with nginx annotations. */
  private static String ingress(String name, String host, String annotation) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: default
          annotations: {%s}
        spec:
          ingressClassName: portico
          rules:
          - host: %s
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: statuses, port: {number: 80}}}}
        ---
        """
        .formatted(
            name, annotation.isEmpty() ? "" : "nginx.ingress.kubernetes.io/" + annotation, host);
  }

  private static String configMap(String data) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: portico-config, namespace: portico}
        data:
          %s
        """
        .formatted(data.replace("\n", "\n  "));
  }

  private void write(String file, String text) throws Exception {
    // Written aside and moved in, so the folder never shows a half-written file.
    Path temporary = folder.resolve("." + file + ".tmp");
    Files.writeString(temporary, text);
    Files.move(temporary, folder.resolve(file), StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void customHttpErrorsFromTheConfigMapGoToTheDefaultBackend() throws Exception {
    HttpProbe.Answer intercepted = client.get("plain.test", "/status/404?q=1");
    assertEquals(200, intercepted.status());
    JsonObject told = intercepted.json().getJsonObject("headers");
    assertEquals("404", told.getString("x-code"));
    assertEquals("plain", told.getString("x-ingress-name"));
    assertEquals("statuses", told.getString("x-service-name"));
    assertEquals("/status/404?q=1", told.getString("x-original-uri"));
    assertEquals("/?q=1", intercepted.json().getString("uri"));
    assertEquals(204, client.get("plain.test", "/status/204").status());

    // The Ingress's own list wins over the ConfigMap's; disable-proxy-intercept-errors turns both
    // off.
    assertEquals(404, client.get("own.test", "/status/404").status());
    assertEquals(
        "500",
        client.get("own.test", "/status/500").json().getJsonObject("headers").getString("x-code"));
    assertEquals(404, client.get("off.test", "/status/404").status());

    // An edit of the ConfigMap applies while serving.
    write("config.yaml", configMap("custom-http-errors: \"503\""));
    Await.until(
        "the ConfigMap without 404",
        CHANGE,
        () -> client.get("plain.test", "/status/404").status() == 404);
    assertEquals(
        "503",
        client
            .get("plain.test", "/status/503")
            .json()
            .getJsonObject("headers")
            .getString("x-code"));
  }

  @Test
  void preserveTrailingSlashAndTheRedirectCodeReachTheRedirects() throws Exception {
    HttpProbe.Answer https = client.get("forced.test", "/");
    assertEquals(301, https.status());
    assertEquals("https://forced.test/", https.headers().get("location"));
    HttpProbe.Answer www = client.get("www.www-redirect.test", "/a");
    assertEquals(301, www.status());
    assertEquals("http://www-redirect.test/a", www.headers().get("location"));
  }
}
