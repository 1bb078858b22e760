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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue through the real server, from a folder of manifests: one Ingress per refused
 * annotation (generated from the catalogue, the prefixes alternating), each answered 404, beside an
 * Ingress that serves with honoured, ignored and unknown annotations; and what {@code /routes},
 * {@code /explain} and {@code /metrics} say about them.
 */
class AnnotationsThroughTheServerTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private Controller controller;
  private HttpProbe client;
  private HttpProbe admin;
  private final List<String> refusedHosts = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    StringBuilder objects = new StringBuilder(Manifests.service("app-svc", app.port()));
    objects
        .append("---\n")
        .append(
            Manifests.annotatedIngress(
                "served",
                "served.test",
                "nginx.ingress.kubernetes.io/affinity: cookie",
                "nginx.ingress.kubernetes.io/proxy-buffering: \"on\"",
                "nginx.ingress.kubernetes.io/enable-modsecurity: \"false\"",
                "portico.io/rewite-target: /"));
    int i = 0;
    for (AnnotationCatalogue.Entry entry : AnnotationCatalogue.entries()) {
      if (entry.fate() != Fate.REFUSED) {
        continue;
      }
      String prefix =
          i++ % 2 == 0 ? AnnotationValues.NGINX_PREFIX : AnnotationValues.PORTICO_PREFIX;
      String value = entry.inert("1") ? "maybe" : "1";
      String host = entry.name() + ".refused.test";
      refusedHosts.add(host);
      objects
          .append("---\n")
          .append(
              Manifests.annotatedIngress(
                  "refused-" + entry.name(), host, prefix + entry.name() + ": \"" + value + "\""));
    }
    Files.writeString(folder.resolve("objects.yaml"), objects);
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    admin = new HttpProbe(vertx.vertx(), controller.adminPort());
    Await.until(
        "the first configuration",
        Duration.ofSeconds(10),
        () -> client.get("served.test", "/").status() == 200);
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  @Test
  void everyRefusedAnnotationKeepsItsIngressOffTheServer() throws Exception {
    assertTrue(refusedHosts.contains("enable-modsecurity.refused.test"), refusedHosts.toString());
    List<String> served = new ArrayList<>();
    for (String host : refusedHosts) {
      if (client.get(host, "/").status() != 404) {
        served.add(host);
      }
    }
    assertEquals(List.of(), served, "refused Ingresses that answered");
    assertEquals(200, client.get("served.test", "/").status());
  }

  @Test
  void routesListEachRoutesAnnotationsAndTheRefusedIngresses() throws Exception {
    JsonObject routes = admin.get("localhost", "/routes").json();
    assertEquals(refusedHosts.size(), routes.getJsonArray("refused").size());
    JsonObject waf =
        routes.getJsonArray("refused").stream()
            .map(JsonObject.class::cast)
            .filter(r -> r.getString("ingress").equals("default/refused-enable-modsecurity"))
            .findFirst()
            .orElseThrow();
    assertEquals(new JsonArray().add("enable-modsecurity.refused.test"), waf.getJsonArray("hosts"));
    JsonObject refusing = waf.getJsonArray("annotations").getJsonObject(0);
    assertEquals("refused", refusing.getString("state"));
    assertTrue(
        refusing.getString("reason").contains("web application firewall"), refusing.encode());

    JsonObject route = hostRoutes(routes, "served.test").getJsonObject(0);
    JsonArray annotations = route.getJsonArray("annotations");
    assertEquals(
        List.of(
            "nginx.ingress.kubernetes.io/affinity honoured",
            "nginx.ingress.kubernetes.io/enable-modsecurity ignored",
            "nginx.ingress.kubernetes.io/proxy-buffering ignored",
            "portico.io/rewite-target unknown"),
        annotations.stream()
            .map(JsonObject.class::cast)
            .map(a -> a.getString("annotation") + " " + a.getString("state"))
            .toList());
    assertEquals("affinity", annotations.getJsonObject(0).getString("family"));
  }

  @Test
  void explainSaysWhatBecameOfTheAnnotations() throws Exception {
    HttpProbe.Answer refused =
        admin.get("localhost", "/explain?url=" + url("http://enable-modsecurity.refused.test/"));
    assertEquals(404, refused.status());
    assertTrue(
        refused
            .text()
            .contains(
                "Ingress default/refused-enable-modsecurity has rules for this host but is not served"),
        refused.text());
    HttpProbe.Answer served = admin.get("localhost", "/explain?url=" + url("http://served.test/"));
    assertEquals(200, served.status());
    assertTrue(
        served.text().contains("honoured  nginx.ingress.kubernetes.io/affinity (affinity family)"),
        served.text());
    assertTrue(served.text().contains("unknown   portico.io/rewite-target"), served.text());
  }

  @Test
  void theMetricCountsByCatalogueNameWithUnknownNamesUnderOneLabel() throws Exception {
    String metrics = admin.get("localhost", "/metrics").text();
    assertTrue(
        metrics.contains(
            "portico_ingress_annotations{annotation=\"enable-modsecurity\",state=\"refused\"} 1"),
        metrics);
    assertTrue(
        metrics.contains(
            "portico_ingress_annotations{annotation=\"affinity\",state=\"honoured\"} 1"),
        metrics);
    assertTrue(
        metrics.contains("portico_ingress_annotations{annotation=\"unknown\",state=\"ignored\"} 1"),
        metrics);
    assertTrue(!metrics.contains("rewite"), "a label value that is not in the catalogue");
  }

  private static JsonArray hostRoutes(JsonObject routes, String host) {
    return routes.getJsonArray("hosts").stream()
        .map(JsonObject.class::cast)
        .filter(h -> h.getString("host").equals(host))
        .findFirst()
        .orElseThrow()
        .getJsonArray("routes");
  }

  private static String url(String url) {
    return URLEncoder.encode(url, StandardCharsets.UTF_8);
  }
}
