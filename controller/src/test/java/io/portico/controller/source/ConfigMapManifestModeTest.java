package io.portico.controller.source;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.Finding;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.SteadyLoad;
import io.portico.router.testing.TestVertx;
import io.portico.router.testing.TlsProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller ConfigMap in a manifest folder ({@code --manifests} with {@code --configmap}),
 * changed while Portico serves: each new value applies to the next requests, no request fails, a
 * bad value is a warning and its default applies, and without the ConfigMap the defaults return.
 */
class ConfigMapManifestModeTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);
  private static final String HSTS = "strict-transport-security";

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;

  private Controller controller;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    write("services.yaml", Manifests.service("app-svc", app.port()));
    write(
        "ingresses.yaml",
        Manifests.tlsIngress("secure", "app-svc", "secure.test", "secure-tls")
            + "---\n"
            + Manifests.ingress("plain", "plain.test", "/", "app-svc"));
    write("config.yaml", configMap("hsts-max-age: \"600\""));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .translator(
                    TranslatorSettings.defaults()
                        .withConfigMap(new ObjectKey("portico", "portico-config")))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2))
                .https(HttpsSettings.defaults(0))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until("the first configuration", CHANGE, () -> status("plain.test") == 200);
  }

  @AfterEach
  void stop() {
    controller.close();
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

  private int status(String host) throws Exception {
    return client.get(host, "/").status();
  }

  private String hsts() throws Exception {
    return TlsProbe.get(controller.httpsPort(), "secure.test", "secure.test", "/").header(HSTS);
  }

  private List<String> configWarnings() {
    return controller.latestTranslation().findings().stream()
        .filter(f -> f.subject().kind().equals("ConfigMap"))
        .filter(f -> f.severity() == Finding.Severity.WARNING)
        .map(Finding::toString)
        .toList();
  }

  @Test
  void aChangedValueAppliesWhileServingAndNoRequestFails() throws Exception {
    assertEquals(308, status("secure.test"));
    assertEquals("max-age=600; includeSubDomains", hsts());

    SteadyLoad plain =
        SteadyLoad.start(
            vertx.vertx(), controller.httpPort(), "plain.test", "/", Duration.ofSeconds(60));
    SteadyLoad redirected =
        SteadyLoad.start(
            vertx.vertx(),
            controller.httpPort(),
            "secure.test",
            "/",
            Duration.ofSeconds(60),
            Set.of(308, 301));
    try {
      write(
          "config.yaml",
          configMap(
              "hsts-max-age: \"86400\"\nhsts-preload: \"true\"\nhttp-redirect-code: \"301\""));
      Await.until("the new redirect status", CHANGE, () -> status("secure.test") == 301);
      assertEquals("max-age=86400; includeSubDomains; preload", hsts());
    } finally {
      redirected.close();
    }
    try {
      // The redirect off, then a value that does not read: a warning, and the default applies.
      write("config.yaml", configMap("ssl-redirect: \"false\""));
      Await.until("the redirect to go", CHANGE, () -> status("secure.test") == 200);
      assertEquals("max-age=31536000; includeSubDomains", hsts());

      write("config.yaml", configMap("http-redirect-code: \"303\""));
      Await.until("the default status", CHANGE, () -> status("secure.test") == 308);
      assertEquals(
          List.of(
              "WARNING ConfigMap portico/portico-config InvalidConfigValue: http-redirect-code:"
                  + " \"303\" (expected: one of 301, 302, 307, 308); the default \"308\""
                  + " applies"),
          configWarnings());

      // Without the ConfigMap, every key has its default, and the flag's warning says why.
      write("config.yaml", configMap("http-redirect-code: \"307\""));
      Await.until("307", CHANGE, () -> status("secure.test") == 307);
      Files.delete(folder.resolve("config.yaml"));
      Await.until("the defaults", CHANGE, () -> status("secure.test") == 308);
      assertTrue(
          configWarnings().get(0).contains("ConfigMapNotFound"), configWarnings().toString());
    } finally {
      plain.close();
    }
    assertTrue(plain.sent() > 0 && redirected.sent() > 0, "the steady clients sent nothing");
    assertEquals(List.of(), plain.failures(), "failed during changes (" + plain.sent() + " sent)");
    assertEquals(
        List.of(), redirected.failures(), "failed during changes (" + redirected.sent() + " sent)");
  }
}
