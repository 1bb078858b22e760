package io.portico.controller.annotations;

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
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream and rate-limit annotations, from an Ingress in a manifest folder to answers of the
 * real server, in the spirit of ingress-nginx's e2e tests (annotations/proxy, limitrate): the body
 * limit of the annotation and the 1m default, a per-minute limit with its burst, and the bandwidth
 * limit of limit-rate after limit-rate-after.
 */
class UpstreamAnnotationsThroughTheServerTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private Controller controller;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    String objects =
        Manifests.service("app-svc", app.port())
            + "---\n"
            + Manifests.annotatedIngress(
                "small", "small.test", "nginx.ingress.kubernetes.io/proxy-body-size: \"10\"")
            + "---\n"
            + Manifests.annotatedIngress(
                "limited",
                "limited.test",
                "nginx.ingress.kubernetes.io/limit-rpm: \"1\"",
                "nginx.ingress.kubernetes.io/limit-burst-multiplier: \"1\"")
            + "---\n"
            + Manifests.annotatedIngress(
                "paced",
                "paced.test",
                "nginx.ingress.kubernetes.io/limit-rate: \"32\"",
                "nginx.ingress.kubernetes.io/limit-rate-after: \"16\"")
            + "---\n"
            + Manifests.annotatedIngress("plain", "plain.test");
    Files.writeString(folder.resolve("objects.yaml"), objects);
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the first configuration",
        Duration.ofSeconds(10),
        () -> client.get("plain.test", "/").status() == 200);
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  private int post(String host, int bytes) throws Exception {
    return client
        .send(
            HttpMethod.POST,
            host,
            "/",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(new byte[bytes]))
        .status();
  }

  @Test
  void proxyBodySizeAndItsOneMegabyteDefault() throws Exception {
    assertEquals(200, post("small.test", 10));
    assertEquals(413, post("small.test", 11));
    assertEquals(200, post("plain.test", 1024 * 1024));
    assertEquals(413, post("plain.test", 1024 * 1024 + 1));
  }

  @Test
  void limitRatePacesTheBodyAfterLimitRateAfter() throws Exception {
    long start = System.nanoTime();
    HttpProbe.Answer answer = client.get("paced.test", "/?size=" + 80 * 1024);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, answer.status());
    assertEquals(80 * 1024, answer.body().length());
    // 64 KiB after the first 16, at 32 KiB/s: a lower bound only, never an upper one.
    assertTrue(millis >= 2000, "80 KiB took " + millis + " ms (expected: >= 2000)");
  }

  @Test
  void limitRpmAnswers503AfterTheBurst() throws Exception {
    assertEquals(200, client.get("limited.test", "/").status());
    assertEquals(200, client.get("limited.test", "/").status());
    assertEquals(503, client.get("limited.test", "/").status());
    assertEquals(200, client.get("plain.test", "/").status(), "other Ingresses are not limited");
  }
}
