package io.portico.controller.metrics;

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
import io.vertx.core.http.HttpClientOptions;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The metric names and labels after real traffic, as dashboards and alerts will read them. */
class MetricsTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private Controller controller;
  private HttpProbe admin;

  @BeforeEach
  void start() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Files.writeString(
        folder.resolve("objects.yaml"),
        Manifests.service("app-svc", app.port())
            + "---\n"
            + Manifests.service("down-svc", closed)
            + "---\n"
            + Manifests.ingress("app", "app.test", "/", "app-svc")
            + "---\n"
            + Manifests.ingress("down", "down.test", "/", "down-svc"));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build());
    admin = new HttpProbe(vertx.vertx(), controller.adminPort());
    Await.until(
        "the first configuration",
        Duration.ofSeconds(10),
        () -> controller.live().current().generation() > 0);
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  private String scrape() throws Exception {
    return admin.get("localhost", "/metrics").text();
  }

  @Test
  void trafficMetricsCarryRouteLabelsAndStatusClasses() throws Exception {
    HttpProbe client = new HttpProbe(vertx.vertx(), controller.httpPort());
    assertEquals(200, client.get("app.test", "/").status());
    assertEquals(200, client.get("app.test", "/again").status());
    assertEquals(502, client.get("down.test", "/").status());
    assertEquals(404, client.get("unknown.test", "/secret/path?token=x").status());
    HttpProbe tls =
        new HttpProbe(
            vertx.vertx(),
            controller.httpsPort(),
            new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    assertEquals(200, tls.get("app.test", "/tls").status());

    String metrics = scrape();
    assertEquals(
        2 + 1,
        value(
            metrics,
            "portico_requests_total{namespace=\"default\",ingress=\"app\",service=\"app-svc\",method=\"GET\",code_class=\"2xx\"}"));
    assertEquals(
        1,
        value(
            metrics,
            "portico_requests_total{namespace=\"default\",ingress=\"down\",service=\"down-svc\",method=\"GET\",code_class=\"5xx\"}"));
    assertEquals(
        1,
        value(
            metrics,
            "portico_requests_total{namespace=\"\",ingress=\"\",service=\"\",method=\"GET\",code_class=\"4xx\"}"));
    assertEquals(
        1,
        value(
            metrics,
            "portico_upstream_errors_total{namespace=\"default\",service=\"down-svc\",kind=\"connect\"}"));
    assertEquals(
        3,
        value(
            metrics,
            "portico_request_duration_seconds_count{namespace=\"default\",ingress=\"app\",service=\"app-svc\"}"));
    assertEquals(
        3,
        value(
            metrics,
            "portico_upstream_response_duration_seconds_count{namespace=\"default\",service=\"app-svc\"}"));
    assertEquals(
        1, value(metrics, "portico_tls_handshakes_total{listener=\"https\",result=\"success\"}"));
    assertTrue(metrics.contains("portico_connections_open{listener=\"http\"}"), metrics);
    assertTrue(metrics.contains("# TYPE portico_request_duration_seconds histogram"), metrics);
    // No request data in labels: neither the unknown host nor the path appears anywhere.
    assertTrue(!metrics.contains("unknown.test") && !metrics.contains("/secret/path"), metrics);
  }

  @Test
  void configurationMetricsDescribeTheTableServing() throws Exception {
    String metrics = scrape();
    assertEquals(
        controller.live().current().generation(), value(metrics, "portico_config_generation"));
    assertEquals(2, value(metrics, "portico_hosts"));
    assertEquals(2, value(metrics, "portico_routes"));
    assertEquals(2, value(metrics, "portico_endpoints"));
    assertEquals(0, value(metrics, "portico_config_warnings"));
    assertTrue(value(metrics, "portico_config_last_success_timestamp_seconds") > 1.7e9, metrics);
    assertTrue(value(metrics, "portico_translation_duration_seconds_count") >= 1, metrics);
    assertTrue(
        value(
                metrics,
                "portico_certificate_expiry_timestamp_seconds{namespace=\"\",secret=\"generated-default\"}")
            > System.currentTimeMillis() / 1000.0,
        metrics);
  }

  /** The value of one sample; fails when the sample is missing. */
  private static double value(String metrics, String sample) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(metrics);
    assertTrue(m.find(), "no sample " + sample + " in:\n" + metrics);
    return Double.parseDouble(m.group(1));
  }
}
