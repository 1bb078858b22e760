package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.MemcachedProcess;
import io.portico.router.testing.TestVertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code global-rate-limit} from an Ingress and the ConfigMap's memcached keys, through two real
 * controllers serving the same folder (two replicas) and one real memcached, in the spirit of
 * ingress-nginx's e2e tests (annotations/globalratelimit, settings/globalratelimit): the replicas
 * share one limit, answer the ConfigMap's status over it, and let requests through, counted in
 * {@code /metrics}, once memcached is gone.
 */
class GlobalRateLimitThroughTheServerTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private MemcachedProcess memcached;
  private Controller one;
  private Controller two;

  @BeforeEach
  void start() throws Exception {
    memcached = MemcachedProcess.start();
    int port =
        TestVertx.await(
                vertx
                    .vertx()
                    .createHttpServer()
                    .requestHandler(request -> request.response().end("ok"))
                    .listen(0, "127.0.0.1"))
            .actualPort();
    String objects =
        Manifests.service("app-svc", port)
            + "---\n"
            + Manifests.annotatedIngress(
                "limited",
                "limited.test",
                "nginx.ingress.kubernetes.io/global-rate-limit: \"3\"",
                "nginx.ingress.kubernetes.io/global-rate-limit-window: \"10m\"",
                "nginx.ingress.kubernetes.io/global-rate-limit-ignored-cidrs: \"127.0.0.9\"")
            + "---\n"
            + """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: portico-config, namespace: portico}
            data:
              global-rate-limit-memcached-host: "127.0.0.1"
              global-rate-limit-memcached-port: "%d"
              global-rate-limit-memcached-connect-timeout: "500"
              global-rate-limit-status-code: "503"
            """
                .formatted(memcached.port());
    Files.writeString(folder.resolve("objects.yaml"), objects);
    one = replica();
    two = replica();
  }

  private Controller replica() throws Exception {
    TranslatorSettings defaults = TranslatorSettings.defaults();
    Controller controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .translator(
                    new TranslatorSettings(
                        defaults.ingressClass(),
                        defaults.controllerName(),
                        defaults.watchIngressWithoutClass(),
                        Optional.empty(),
                        defaults.allowExternalNameServices(),
                        Optional.of(new ObjectKey("portico", "portico-config")),
                        defaults.snippetAnnotations()))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2))
                .admin("127.0.0.1", 0)
                .build());
    // The ignored address is never counted, so asking with it waits for the route to serve.
    Await.until(
        "the first configuration",
        Duration.ofSeconds(10),
        () -> get(controller, "127.0.0.9") == 200);
    return controller;
  }

  @AfterEach
  void stop() throws Exception {
    one.close();
    two.close();
    memcached.stop();
  }

  /** {@code GET /} to limited.test from {@code from}, on a connection of its own; the status. */
  private static int get(Controller controller, String from) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", controller.httpPort()), 5000);
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "GET / HTTP/1.1\r\nHost: limited.test\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(answer.substring(9, 12));
    }
  }

  private static double metric(Controller controller, String name) throws Exception {
    String text =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + controller.adminPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher value = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
    assertTrue(value.find(), name + " in /metrics");
    return Double.parseDouble(value.group(1));
  }

  @Test
  void twoReplicasShareOneLimitAndFailOpenWithoutMemcached() throws Exception {
    assertEquals(200, get(one, "127.0.0.2"));
    assertEquals(200, get(two, "127.0.0.2"));
    assertEquals(200, get(one, "127.0.0.2"));
    assertEquals(
        503, get(two, "127.0.0.2"), "the fourth, on either replica: the ConfigMap's status");
    assertEquals(503, get(one, "127.0.0.2"));
    assertEquals(200, get(one, "127.0.0.3"), "another client address counts on its own");
    for (int i = 0; i < 5; i++) {
      assertEquals(200, get(two, "127.0.0.9"), "the ignored address, request " + i);
    }

    double failedBefore = metric(one, "portico_global_rate_limit_failed_open_total");
    memcached.stop();
    assertEquals(200, get(one, "127.0.0.4"), "memcached gone: let through");
    assertEquals(200, get(two, "127.0.0.4"));
    assertTrue(
        metric(one, "portico_global_rate_limit_failed_open_total") >= failedBefore + 2,
        "failing open is counted");
  }
}
