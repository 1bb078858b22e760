package io.portico.controller;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mirror annotations end to end, from a folder of manifests through the real server:
 * ingress-nginx's {@code test/e2e/annotations/mirror.go} in spirit (a target with a path, with
 * {@code $request_uri}, with the body off), checked on what the mirror receives, and the metric
 * that counts the copies.
 */
class MirrorReleaseTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;

  private final BlockingQueue<String> copies = new LinkedBlockingQueue<>();
  private Controller controller;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    int mirror =
        await(
                vertx
                    .vertx()
                    .createHttpServer()
                    .requestHandler(
                        request ->
                            request
                                .body()
                                .onSuccess(
                                    body -> {
                                      copies.add(
                                          request.method()
                                              + " "
                                              + request.uri()
                                              + " host="
                                              + request.getHeader("host")
                                              + " body="
                                              + body);
                                      request.response().end();
                                    }))
                    .listen(0, "127.0.0.1"))
            .actualPort();
    Files.writeString(
        folder.resolve("services.yaml"),
        Manifests.service("app-svc", app.port())
            + "---\n"
            + Manifests.service("mirror-svc", mirror));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  private void ingress(String annotations) throws Exception {
    Files.writeString(
        folder.resolve("app.yaml"),
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: app, namespace: default, annotations: {%s}}
        spec:
          ingressClassName: portico
          rules:
          - host: mirror.test
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: app-svc, port: {number: 80}}}}
        """
            .formatted(annotations));
  }

  private void awaitMirror(String dumpLine) throws Exception {
    Await.until(
        "a mirror " + dumpLine,
        CHANGE,
        () -> controller.live().current().routes().dump().contains(dumpLine));
  }

  private void post(String uri, String body) throws Exception {
    HttpProbe.Answer answer =
        client.send(
            HttpMethod.POST,
            "mirror.test",
            uri,
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(body));
    assertEquals(200, answer.status(), answer.text());
    assertEquals("app", answer.backend());
  }

  private String nextCopy() throws InterruptedException {
    String copy = copies.poll(10, TimeUnit.SECONDS);
    assertNotNull(copy, "the mirror received nothing");
    return copy;
  }

  @Test
  void copiesGoToTheTargetsPathWithTheBodyOrWithout() throws Exception {
    ingress("nginx.ingress.kubernetes.io/mirror-target: http://mirror-svc/mirror");
    awaitMirror("path /mirror host mirror-svc");
    post("/cart?item=1", "one");
    assertEquals("POST /mirror?item=1 host=mirror-svc body=one", nextCopy());

    ingress(
        "nginx.ingress.kubernetes.io/mirror-target: "
            + "\"http://mirror-svc.default.svc.cluster.local$request_uri\","
            + " nginx.ingress.kubernetes.io/mirror-host: copies.test,"
            + " nginx.ingress.kubernetes.io/mirror-request-body: \"off\"");
    awaitMirror("without body");
    post("/cart?item=2", "two");
    assertEquals("POST /cart?item=2 host=copies.test body=", nextCopy());

    HttpProbe admin = new HttpProbe(vertx.vertx(), controller.adminPort());
    Await.until(
        "both copies counted",
        CHANGE,
        () ->
            admin
                .get("localhost", "/metrics")
                .text()
                .contains(
                    "portico_mirror_requests_total{namespace=\"default\",ingress=\"app\","
                        + "result=\"sent\"} 2"));
  }

  @Test
  void aTargetOutsideTheClusterIsRefusedAndTheIngressServesWithoutMirror() throws Exception {
    ingress("nginx.ingress.kubernetes.io/mirror-target: https://test.env.com/$request_uri");
    Await.until(
        "the Ingress to serve", CHANGE, () -> client.get("mirror.test", "/").status() == 200);
    HttpProbe admin = new HttpProbe(vertx.vertx(), controller.adminPort());
    String routes = admin.get("localhost", "/routes?format=text").text();
    assertTrue(
        routes.contains(
            "WARNING Ingress default/app InvalidAnnotation:"
                + " nginx.ingress.kubernetes.io/mirror-target: https://test.env.com/$request_uri"),
        routes);
    assertTrue(
        !controller.live().current().routes().dump().contains("    mirror "),
        "the route has no mirror to copy to");
    post("/x", "body");
  }
}
