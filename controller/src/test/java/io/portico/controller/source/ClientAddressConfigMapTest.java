package io.portico.controller.source;

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
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller ConfigMap's client address keys through the real controller: {@code
 * use-forwarded-headers} trusts only the peers {@code proxy-real-ip-cidr} names (the test client is
 * 127.0.0.1), so the same ConfigMap without that key changes nothing.
 */
class ClientAddressConfigMapTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;

  private Controller controller;

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
  }

  private HttpProbe start(String configData) throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    Files.writeString(folder.resolve("services.yaml"), Manifests.service("app-svc", app.port()));
    Files.writeString(
        folder.resolve("ingresses.yaml"), Manifests.ingress("plain", "plain.test", "/", "app-svc"));
    Files.writeString(
        folder.resolve("config.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: portico-config, namespace: portico}
        data:
          %s
        """
            .formatted(configData.replace("\n", "\n  ")));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .translator(
                    TranslatorSettings.defaults()
                        .withConfigMap(new ObjectKey("portico", "portico-config")))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2))
                .admin("127.0.0.1", 0)
                .build());
    HttpProbe client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the first configuration",
        Duration.ofSeconds(10),
        () -> client.get("plain.test", "/").status() == 200);
    return client;
  }

  private static JsonObject seen(HttpProbe client) throws Exception {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("X-Forwarded-For", "203.0.113.7")
            .add("X-Forwarded-Proto", "https");
    return client
        .send(HttpMethod.GET, "plain.test", "/", headers, null)
        .json()
        .getJsonObject("headers");
  }

  @Test
  void aTrustedProxyNamesTheClient() throws Exception {
    HttpProbe client =
        start(
            "use-forwarded-headers: \"true\"\nproxy-real-ip-cidr: \"127.0.0.1/32,::1\"\n"
                + "compute-full-forwarded-for: \"true\"");
    JsonObject seen = seen(client);
    assertEquals("203.0.113.7, 127.0.0.1", seen.getString("x-forwarded-for"));
    assertEquals("203.0.113.7", seen.getString("x-real-ip"));
    assertEquals("https", seen.getString("x-forwarded-proto"));
  }

  @Test
  void withoutProxyRealIpCidrNoPeerIsTrusted() throws Exception {
    HttpProbe client = start("use-forwarded-headers: \"true\"");
    JsonObject seen = seen(client);
    assertEquals("127.0.0.1", seen.getString("x-forwarded-for"));
    assertEquals("127.0.0.1", seen.getString("x-real-ip"));
    assertEquals("http", seen.getString("x-forwarded-proto"));
  }
}
