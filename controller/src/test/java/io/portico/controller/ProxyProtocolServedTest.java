package io.portico.controller;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.RawClient;
import io.portico.router.testing.TestVertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code use-proxy-protocol} from the controller ConfigMap to the listeners of a real controller:
 * the ConfigMap found at start decides whether every connection must begin with a PROXY header, and
 * {@code proxy-real-ip-cidr} whose header address counts.
 */
class ProxyProtocolServedTest {

  private static final Duration CHANGE = Duration.ofSeconds(20);
  private static final String REQUEST =
      "GET / HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n";

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private Controller controller;

  private void start(String configData) throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    Files.writeString(
        folder.resolve("objects.yaml"),
        Manifests.service("app-svc", app.port())
            + "---\n"
            + Manifests.ingress("app", "app.test", "/", "app-svc")
            + "---\n"
            + """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: portico-config, namespace: portico}
            data: %s
            """
                .formatted(configData));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .translator(
                    TranslatorSettings.defaults()
                        .withConfigMap(new ObjectKey("portico", "portico-config")))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build());
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
  }

  private String send(String bytes) throws IOException {
    try (RawClient raw = new RawClient(controller.httpPort())) {
      raw.write(bytes);
      return raw.readUntilClosed(Duration.ofSeconds(10));
    }
  }

  @Test
  void theHeaderOfATrustedBalancerNamesTheClient() throws Exception {
    start("{use-proxy-protocol: 'true', proxy-real-ip-cidr: '127.0.0.1'}");
    String proxied = "PROXY TCP4 203.0.113.7 10.0.0.1 51234 80\r\n" + REQUEST;
    Await.until("the Ingress to serve", CHANGE, () -> send(proxied).startsWith("HTTP/1.1 200"));
    String answer = send(proxied);
    JsonObject headers =
        new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getJsonObject("headers");
    assertEquals("203.0.113.7", headers.getString("x-forwarded-for"), answer);
    assertTrue(send(REQUEST).isEmpty(), "a connection without a PROXY header is closed unanswered");
  }

  @Test
  void withoutTheKeyAProxyHeaderIsNotHttp() throws Exception {
    start("{proxy-real-ip-cidr: '127.0.0.1'}");
    Await.until("the Ingress to serve", CHANGE, () -> send(REQUEST).startsWith("HTTP/1.1 200"));
    String answer = send("PROXY TCP4 203.0.113.7 10.0.0.1 51234 80\r\n" + REQUEST);
    // Vert.x answers a request line it cannot read in HTTP/1.0.
    assertTrue(answer.startsWith("HTTP/1.0 400"), answer);
  }
}
