package io.portico.controller;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.Manifests;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.route.Canaries;
import io.portico.router.route.RouteTarget;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.SteadyLoad;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary Ingresses end to end, from a folder of manifests through the real server to real backends:
 * ingress-nginx's {@code test/e2e/annotations/canary.go} in spirit (mainline on {@code /info},
 * requests {@code GET /info}), then several canaries, a Service used as a canary and as a normal
 * backend, metrics, and a rollout under load.
 */
class CanaryReleaseTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);
  private static final String HOST = "foo.com";

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;

  private Controller controller;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    EchoBackend mainline = await(EchoBackend.start(vertx.vertx(), "mainline", "127.0.0.1", 0));
    EchoBackend canary = await(EchoBackend.start(vertx.vertx(), "canary", "127.0.0.1", 0));
    EchoBackend second = await(EchoBackend.start(vertx.vertx(), "second", "127.0.0.1", 0));
    Files.writeString(
        folder.resolve("services.yaml"),
        Manifests.service("http-svc", mainline.port())
            + "---\n"
            + Manifests.service("canary-svc", canary.port())
            + "---\n"
            + Manifests.service("second-svc", second.port()));
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

  /** An Ingress of {@code foo.com/info} (Prefix) on {@code service}, with these annotations. */
  private static String ingress(String name, String service, String... annotations) {
    return ingressOn(name, HOST, "/info", service, annotations);
  }

  private static String ingressOn(
      String name, String host, String path, String service, String... annotations) {
    StringBuilder notes = new StringBuilder();
    for (int i = 0; i < annotations.length; i += 2) {
      notes
          .append(notes.length() == 0 ? "" : ", ")
          .append("nginx.ingress.kubernetes.io/")
          .append(annotations[i])
          .append(": \"")
          .append(annotations[i + 1])
          .append('"');
    }
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: %s, namespace: default, annotations: {%s}}
        spec:
          ingressClassName: portico
          rules:
          - host: %s
            http:
              paths:
              - {path: %s, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
        """
        .formatted(name, notes, host, path, service);
  }

  private static String canary(String service, String... annotations) {
    List<String> all = new ArrayList<>(List.of("canary", "true"));
    all.addAll(List.of(annotations));
    return ingress(service.replace("-svc", "") + "-ingress", service, all.toArray(new String[0]));
  }

  private void write(String file, String yaml) throws Exception {
    Files.writeString(folder.resolve(file), yaml);
  }

  /** Waits until the rule of {@code foo.com/info} serving now satisfies {@code condition}. */
  private void awaitRule(String what, Predicate<RouteTarget> condition) throws Exception {
    Await.until(
        what,
        CHANGE,
        () -> {
          RouteTarget target = controller.live().current().routes().match(HOST, "/info");
          return target != null && condition.test(target);
        });
  }

  /** Waits until the rule serves with these canary weights (over 100 unless the total says). */
  private void awaitWeights(int total, int... weights) throws Exception {
    awaitRule(
        "canary weights " + java.util.Arrays.toString(weights) + " of " + total,
        target -> {
          Canaries canaries = target.route().canaries();
          if (canaries.size() != weights.length || canaries.weightTotal() != total) {
            return false;
          }
          for (int i = 0; i < weights.length; i++) {
            if (canaries.get(i).match().weight() != weights[i]) {
              return false;
            }
          }
          return true;
        });
  }

  private HttpProbe.Answer send(String... headerPairs) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    return client.send(HttpMethod.GET, HOST, "/info", headers, null);
  }

  private String backendOf(String... headerPairs) throws Exception {
    HttpProbe.Answer answer = send(headerPairs);
    assertEquals(200, answer.status(), answer.text());
    return answer.backend();
  }

  private Map<String, Integer> count(int requests) throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      counts.merge(backendOf(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void theCanaryJoinsTheMainlineCreatedBeforeOrAfterItAndFollowsEditsOfEither() throws Exception {
    // No mainline yet: the canary is never served on its own.
    write("canary.yaml", canary("canary-svc", "canary-by-header", "CanaryByHeader"));
    write("other.yaml", ingressOn("other", "other.test", "/", "http-svc"));
    Await.until("the other host", CHANGE, () -> client.get("other.test", "/").status() == 200);
    assertEquals(404, send("CanaryByHeader", "always").status());

    // The mainline after the canary.
    write("main.yaml", ingress("main", "http-svc"));
    awaitRule("the canary joined", target -> target.route().canaries().size() == 1);
    assertEquals("mainline", backendOf());
    assertEquals("mainline", backendOf("CanaryByHeader", "never"));
    assertEquals("canary", backendOf("CanaryByHeader", "always"));

    // The mainline modified: the canary stays.
    write("main.yaml", ingress("main", "http-svc", "load-balance", "random"));
    awaitRule(
        "the modified mainline",
        target -> !target.route().backend().policy().isDefault() && target.canaries().size() == 1);
    assertEquals("canary", backendOf("CanaryByHeader", "always"));

    // The canary modified: the new header name counts, the old one no more.
    write("canary.yaml", canary("canary-svc", "canary-by-header", "CanaryByHeader2"));
    awaitRule(
        "the modified canary",
        target ->
            target
                .route()
                .canaries()
                .get(0)
                .match()
                .header()
                .orElseThrow()
                .name()
                .equals("CanaryByHeader2"));
    assertEquals("canary", backendOf("CanaryByHeader2", "always"));
    assertEquals("mainline", backendOf("CanaryByHeader", "always"));

    // The mainline deleted: the canary goes with it.
    Files.delete(folder.resolve("main.yaml"));
    Await.until(
        "the mainline gone", CHANGE, () -> send("CanaryByHeader2", "always").status() == 404);
  }

  @Test
  void byHeaderValuePatternAndCookieAsIngressNginxDecides() throws Exception {
    write("main.yaml", ingress("main", "http-svc"));
    write("canary.yaml", canary("canary-svc", "canary-by-header", "CanaryByHeader"));
    awaitRule("the canary by header", target -> target.canaries().size() == 1);
    assertEquals("canary", backendOf("CanaryByHeader", "always"));
    assertEquals("mainline", backendOf("CanaryByHeader", "never"));
    assertEquals("mainline", backendOf("CanaryByHeader", "badheadervalue"));

    write(
        "canary.yaml",
        canary(
            "canary-svc",
            "canary-by-header",
            "CanaryByHeader",
            "canary-by-header-value",
            "DoCanary",
            "canary-by-cookie",
            "CanaryByCookie"));
    awaitRule(
        "the canary by value and cookie",
        target -> target.route().canaries().get(0).match().cookie().isPresent());
    assertEquals("canary", backendOf("CanaryByHeader", "DoCanary"));
    assertEquals("mainline", backendOf("CanaryByHeader", "always"));
    assertEquals("mainline", backendOf("CanaryByHeader", "never"));
    assertEquals(
        "canary",
        backendOf("CanaryByHeader", "otherheadervalue", "cookie", "CanaryByCookie=always"));
    assertEquals("mainline", backendOf("cookie", "CanaryByCookie=never"));
    assertEquals("mainline", backendOf("cookie", "CanaryByCookie=badcookievalue"));

    write(
        "canary.yaml",
        canary(
            "canary-svc",
            "canary-by-header",
            "CanaryByHeader",
            "canary-by-header-pattern",
            "^Do[A-Z][a-z]+y$"));
    awaitRule(
        "the canary by pattern",
        target -> target.route().canaries().get(0).match().cookie().isEmpty());
    assertEquals("canary", backendOf("CanaryByHeader", "DoCanary"));
    assertEquals("mainline", backendOf("CanaryByHeader", "Docanary"));

    // A pattern that does not compile: requests with the header go to the mainline.
    write(
        "canary.yaml",
        canary(
            "canary-svc",
            "canary-by-header",
            "CanaryByHeader",
            "canary-by-header-pattern",
            "[][**da?$&*",
            "canary-by-cookie",
            "CanaryByCookie"));
    awaitRule(
        "the canary with a broken pattern",
        target -> target.route().canaries().get(0).match().cookie().isPresent());
    assertEquals(
        "mainline", backendOf("CanaryByHeader", "DoCanary", "cookie", "CanaryByCookie=always"));
    assertEquals("canary", backendOf("cookie", "CanaryByCookie=always"));
  }

  @Test
  void weightsAreExactOverTheirTotal() throws Exception {
    write("main.yaml", ingress("main", "http-svc"));
    write("canary.yaml", canary("canary-svc", "canary-weight", "0"));
    awaitWeights(100, 0);
    assertEquals(Map.of("mainline", 20), count(20));

    write("canary.yaml", canary("canary-svc", "canary-weight", "100"));
    awaitWeights(100, 100);
    assertEquals(Map.of("canary", 20), count(20));

    write(
        "canary.yaml",
        canary("canary-svc", "canary-weight", "1000", "canary-weight-total", "1000"));
    awaitWeights(1000, 1000);
    assertEquals(Map.of("canary", 20), count(20));

    write("canary.yaml", canary("canary-svc", "canary-weight", "50"));
    awaitWeights(100, 50);
    assertEquals(Map.of("canary", 50, "mainline", 50), count(100));

    write(
        "canary.yaml", canary("canary-svc", "canary-weight", "100", "canary-weight-total", "200"));
    awaitWeights(200, 100);
    assertEquals(Map.of("canary", 100, "mainline", 100), count(200));

    // 5% is 5 of every 100, not 5 on average.
    write("canary.yaml", canary("canary-svc", "canary-weight", "5"));
    awaitWeights(100, 5);
    assertEquals(Map.of("canary", 5, "mainline", 95), count(100));
    assertEquals(Map.of("canary", 5, "mainline", 95), count(100));
  }

  @Test
  void aCanaryIsNeitherACatchAllNorAServerOfItsOwn() throws Exception {
    write("main.yaml", ingress("main", "http-svc"));
    write(
        "canary.yaml",
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: canary-ingress
          namespace: default
          annotations: {nginx.ingress.kubernetes.io/canary: "true", nginx.ingress.kubernetes.io/canary-by-header: CanaryByHeader}
        spec:
          ingressClassName: portico
          defaultBackend: {service: {name: canary-svc, port: {number: 80}}}
          rules:
          - host: foo.com
            http:
              paths:
              - {path: /info, pathType: Prefix, backend: {service: {name: canary-svc, port: {number: 80}}}}
              - {path: /info, pathType: Prefix, backend: {service: {name: canary-svc, port: {number: 80}}}}
              - {path: /nomain, pathType: Prefix, backend: {service: {name: canary-svc, port: {number: 80}}}}
              - {path: /nomain2, pathType: Prefix, backend: {service: {name: canary-svc, port: {number: 80}}}}
          - host: canary-only.test
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: canary-svc, port: {number: 80}}}}
        """);
    awaitRule("the canary joined", target -> target.canaries().size() == 1);
    assertEquals("canary", backendOf("CanaryByHeader", "always"));
    assertEquals(404, client.get("unknown.test", "/").status(), "not a catch-all");
    assertEquals(404, client.get("canary-only.test", "/").status(), "not a server");
    assertEquals(404, client.get(HOST, "/nomain").status(), "a path without mainline");
  }

  @Test
  void stickyCanariesKeepTheirSessionsAndLegacyOnesSetNone() throws Exception {
    write(
        "main.yaml",
        ingress("main", "http-svc", "affinity", "cookie", "session-cookie-name", "aff"));
    write("canary.yaml", canary("canary-svc", "canary-by-header", "CanaryByHeader"));
    awaitRule(
        "the sticky canary",
        target ->
            target.canaries().size() == 1 && target.canaries().get(0).upstream().sticky() != null);
    HttpProbe.Answer forced = send("CanaryByHeader", "always");
    assertEquals("canary", forced.backend());
    String cookie = cookieOf(forced);
    for (int i = 0; i < 10; i++) {
      assertEquals("canary", backendOf("cookie", cookie), "request " + i + " of the session");
    }

    write(
        "canary.yaml",
        canary(
            "canary-svc",
            "canary-by-header",
            "CanaryByHeader",
            "affinity-canary-behavior",
            "legacy",
            "canary-weight",
            "50"));
    awaitRule(
        "the legacy canary",
        target ->
            target.canaries().size() == 1 && target.canaries().get(0).upstream().sticky() == null);
    HttpProbe.Answer legacy = send("CanaryByHeader", "always");
    assertEquals("canary", legacy.backend());
    assertNull(legacy.headers().get("set-cookie"), "a legacy canary starts no session");
    assertEquals(Map.of("canary", 50, "mainline", 50), count(100));
  }

  @Test
  void severalCanariesAndAServiceThatIsACanaryHereAndAMainlineThere() throws Exception {
    write("main.yaml", ingress("main", "http-svc"));
    write("v2.yaml", ingressOn("v2", HOST, "/v2", "canary-svc"));
    write(
        "canary.yaml",
        canary(
            "canary-svc",
            "canary-by-header",
            "x-version",
            "canary-by-header-value",
            "v2",
            "canary-weight",
            "10"));
    write(
        "second.yaml",
        canary(
            "second-svc",
            "canary-by-header",
            "x-version",
            "canary-by-header-value",
            "v3",
            "canary-weight",
            "30"));
    awaitWeights(100, 10, 30);
    assertEquals(Map.of("canary", 20, "mainline", 120, "second", 60), count(200));
    assertEquals("canary", backendOf("x-version", "v2"));
    assertEquals("second", backendOf("x-version", "v3"));
    for (int i = 0; i < 10; i++) {
      HttpProbe.Answer v2 = client.get(HOST, "/v2/x");
      assertEquals("canary", v2.backend(), "canary-svc serves /v2 as its mainline");
    }

    HttpProbe admin = new HttpProbe(vertx.vertx(), controller.adminPort());
    String metrics = admin.get("localhost", "/metrics").text();
    assertTrue(
        metrics.contains(
            "portico_requests_total{namespace=\"default\",ingress=\"main\",service=\"canary-svc\","
                + "method=\"GET\",code_class=\"2xx\"} 21"),
        metrics);
    assertTrue(
        metrics.contains(
            "portico_requests_total{namespace=\"default\",ingress=\"main\",service=\"second-svc\","
                + "method=\"GET\",code_class=\"2xx\"} 61"),
        metrics);
    assertTrue(
        metrics.contains(
            "portico_requests_total{namespace=\"default\",ingress=\"v2\",service=\"canary-svc\","
                + "method=\"GET\",code_class=\"2xx\"} 10"),
        metrics);

    JsonObject rule =
        admin
            .get("localhost", "/routes")
            .json()
            .getJsonArray("hosts")
            .getJsonObject(0)
            .getJsonArray("routes")
            .stream()
            .map(JsonObject.class::cast)
            .filter(r -> r.getString("path").equals("/info"))
            .findFirst()
            .orElseThrow();
    assertEquals(100, rule.getInteger("weightTotal"));
    assertEquals(
        "default/canary-ingress",
        rule.getJsonArray("canaries").getJsonObject(0).getString("ingress"));
    assertEquals(
        new JsonObject().put("name", "x-version").put("match", "value").put("value", "v3"),
        rule.getJsonArray("canaries").getJsonObject(1).getJsonObject("header"));
    // The canary annotations are honoured, as /routes and the annotations metric say.
    assertEquals(
        new JsonObject()
            .put("annotation", "nginx.ingress.kubernetes.io/canary-weight")
            .put("state", "honoured")
            .put("family", "canary"),
        rule.getJsonArray("canaries").getJsonObject(1).getJsonArray("annotations").stream()
            .map(JsonObject.class::cast)
            .filter(a -> a.getString("annotation").endsWith("/canary-weight"))
            .findFirst()
            .orElseThrow());
    assertTrue(
        metrics.contains(
            "portico_ingress_annotations{annotation=\"canary-weight\",state=\"honoured\"} 2\n"),
        metrics);
  }

  @Test
  void aCanaryWhoseWeightOrPatternCannotBeReadTakesNoneOfTheMainlinesTraffic() throws Exception {
    write("main.yaml", ingress("main", "http-svc"));
    // A weight above its total: ingress-nginx would send it everything.
    write(
        "canary.yaml",
        canary(
            "canary-svc",
            "canary-weight",
            "150",
            "canary-by-header",
            "CanaryByHeader",
            "canary-by-header-pattern",
            "[a-"));
    awaitWeights(100, 0);
    assertEquals(Map.of("mainline", 50), count(50));
    assertEquals("mainline", backendOf("CanaryByHeader", "always"), "an unusable pattern");

    // canary-* without canary: refused, where ingress-nginx would serve it as a normal Ingress.
    write("canary.yaml", ingress("canary-ingress", "canary-svc", "canary-weight", "100"));
    ObjectKey refused = new ObjectKey("default", "canary-ingress");
    Await.until(
        "the canary refused",
        CHANGE,
        () -> controller.latestTranslation().annotations().refusal(refused).isPresent());
    awaitRule("no canary", target -> target.route().canaries().isEmpty());
    assertEquals(Map.of("mainline", 20), count(20));
  }

  @Test
  void aRolloutAtTenThenFiftyPercentThenPromotedDropsNoRequest() throws Exception {
    write("main.yaml", ingress("main", "http-svc"));
    Await.until("the mainline", CHANGE, () -> send().status() == 200);
    SteadyLoad load =
        SteadyLoad.start(
            vertx.vertx(), controller.httpPort(), HOST, "/info/steady", Duration.ofSeconds(60));
    try {
      write("canary.yaml", canary("canary-svc", "canary-weight", "10"));
      awaitWeights(100, 10);
      write("canary.yaml", canary("canary-svc", "canary-weight", "50"));
      awaitWeights(100, 50);
      // Promote: the mainline names the new version, the canary goes.
      write("main.yaml", ingress("main", "canary-svc"));
      Files.delete(folder.resolve("canary.yaml"));
      awaitRule(
          "the promoted mainline",
          target ->
              target.route().canaries().isEmpty()
                  && target.route().backend().id().service().equals("canary-svc"));
      assertEquals(Map.of("canary", 20), count(20));
    } finally {
      load.close();
    }
    assertTrue(load.sent() > 0, "the steady client sent nothing");
    assertEquals(List.of(), load.failures(), "requests failed (" + load.sent() + " sent)");
  }

  private static String cookieOf(HttpProbe.Answer answer) {
    String setCookie = answer.headers().get("set-cookie");
    assertNotNull(setCookie, "no Set-Cookie from " + answer.backend());
    return setCookie.substring(0, setCookie.indexOf(';'));
  }
}
