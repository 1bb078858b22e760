package io.portico.controller.audit;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.Controller;
import io.portico.controller.annotations.SnippetAnnotations;
import io.portico.controller.gateway.GatewaySettings;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.source.ChangeListener;
import io.portico.controller.source.ManifestParser;
import io.portico.controller.source.ManifestSource;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.portico.router.testing.TlsProbe;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateGenerator.LeafRequest;
import io.portico.tls.KeyType;
import io.portico.tls.TlsKeyPair;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code audit --to-gateway} prints for the examples, applied beside the original Ingresses,
 * answers as the Ingresses did: the same URLs through two real servers, one with the Ingresses
 * alone and one with the HTTPRoutes beside them (which take over the host names they serve), give
 * the same status, backend, path at the backend and redirect.
 */
class GatewayExportRoundTripTest {

  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final Duration CHANGE = Duration.ofSeconds(20);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path dir;

  private final List<Controller> controllers = new ArrayList<>();

  @AfterEach
  void stop() {
    controllers.forEach(Controller::close);
  }

  /** What a URL gets, as far as the two APIs must agree. */
  private record Seen(int status, String backend, String uri, String location) {}

  @Test
  void theIngressNginxShopAnswersTheSameThroughItsHttpRoutes() throws Exception {
    Path shop = EXAMPLES.resolve("ingress-nginx");
    String converted = convert(shop, Optional.of("nginx"), false);
    String ingresses =
        Files.readString(shop.resolve("ingresses.yaml"))
            .replace("ingressClassName: nginx", "ingressClassName: portico")
            .replace("kubernetes.io/ingress.class: nginx", "kubernetes.io/ingress.class: portico");
    String objects =
        ingresses
            + "\n---\n"
            + services("shop", "storefront", 80, "api", 80, "admin", 80)
            + "---\n"
            + Manifests.tlsSecret("shop-example-com-tls", leaf("shop.example.com"))
                .replace("namespace: default", "namespace: shop");
    Servers servers = start(objects, converted);
    awaitRoutesAccepted(servers.withRoutes(), 3);

    List<String> urls =
        List.of(
            "shop.example.com /",
            "shop.example.com /cart?id=7",
            "shop.example.com /api",
            "shop.example.com /api/users?page=2",
            "shop.example.com /apix",
            "admin.shop.example.com /",
            "status.shop.example.com /",
            "blog.example.com /");
    for (String url : urls) {
      String[] parts = url.split(" ");
      assertEquals(
          http(servers.ingresses(), parts[0], parts[1]),
          http(servers.withRoutes(), parts[0], parts[1]),
          "http://" + parts[0] + parts[1]);
    }
    for (String path : List.of("/", "/cart", "/api/users", "/api")) {
      assertEquals(
          https(servers.ingresses(), "shop.example.com", path),
          https(servers.withRoutes(), "shop.example.com", path),
          "https://shop.example.com" + path);
    }
    // Not two copies of the Ingresses: the routes serve the shop's host, the Ingresses the rest.
    String routes = routes(servers.withRoutes());
    assertTrue(routes.contains("(HTTPRoute shop/api rule 0)"), routes);
    assertTrue(routes.contains("HTTPRoute shop/storefront-https-redirect rule 0"), routes);
    assertEquals(
        "https://shop.example.com/",
        new HttpProbe(vertx.vertx(), servers.withRoutes().httpPort())
            .get("shop.example.com", "/")
            .headers()
            .get("location"));
    assertTrue(
        converted.contains(
            "The redirect keeps a trailing slash, which ingress-nginx drops unless"
                + " preserve-trailing-slash is set"),
        converted);
    assertEquals(
        new Seen(308, null, null, "https://shop.example.com/cart?id=7"),
        http(servers.withRoutes(), "shop.example.com", "/cart?id=7"));
    assertEquals(
        new Seen(200, "api", "/users?page=2", null),
        http(servers.withRoutes(), "shop.example.com", "/api/users?page=2"));
    // The back office stays an Ingress, with its allow list and basic auth (whose Secret of users
    // is missing: 503, never served open).
    assertEquals(503, http(servers.withRoutes(), "admin.shop.example.com", "/").status());
  }

  @Test
  void theLocalExamplesAnswerTheSameThroughTheirHttpRoutes() throws Exception {
    Path local = EXAMPLES.resolve("local");
    String converted = convert(local, Optional.empty(), false);
    String objects =
        Files.readString(local.resolve("ingress.yaml"))
            + "\n---\n"
            + Files.readString(local.resolve("canary.yaml"))
            + "\n---\n"
            + Files.readString(local.resolve("sticky.yaml"))
            + "\n---\n"
            + services("default", "app1-svc", 8888, "app2-svc", 9999);
    Servers servers = start(objects, converted);
    awaitRoutesAccepted(servers.withRoutes(), 5);

    for (String url :
        List.of(
            "app.test /app1/x",
            "app.test /app2",
            "app.test /other",
            "hello-john.test /",
            "hello-jane.test /a/b",
            "sticky.test /",
            "nowhere.test /")) {
      String[] parts = url.split(" ");
      assertEquals(
          http(servers.ingresses(), parts[0], parts[1]),
          http(servers.withRoutes(), parts[0], parts[1]),
          "http://" + parts[0] + parts[1]);
    }
    // The canary: the same exact shares of 10% over 100 requests, and the header overrides.
    assertEquals(shares(servers.ingresses(), ""), shares(servers.withRoutes(), ""));
    assertEquals(Map.of("app1", 90, "app2", 10), shares(servers.withRoutes(), ""));
    assertEquals(Map.of("app2", 100), shares(servers.withRoutes(), "always"));
    assertEquals(shares(servers.ingresses(), "never"), shares(servers.withRoutes(), "never"));
    assertTrue(routes(servers.withRoutes()).contains("HTTPRoute default/shop"));
    // The cookie of canary-by-cookie has no equivalent, and says so.
    assertTrue(
        converted.contains(
            "not converted  nginx.ingress.kubernetes.io/canary-by-cookie: canary (HTTPRoute"
                + " matches cannot test a cookie)"),
        converted);
  }

  private record Servers(Controller ingresses, Controller withRoutes) {}

  private Servers start(String objects, String converted) throws Exception {
    Path alone = Files.createDirectories(dir.resolve("ingresses"));
    Path beside = Files.createDirectories(dir.resolve("with-routes"));
    Files.writeString(alone.resolve("objects.yaml"), objects);
    Files.writeString(beside.resolve("objects.yaml"), objects);
    Files.writeString(beside.resolve("gateway-api.yaml"), converted);
    Files.writeString(
        beside.resolve("gateway-class.yaml"),
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: portico}
        spec: {controllerName: portico.io/gateway-controller}
        """);
    return new Servers(controller(alone), controller(beside));
  }

  private Controller controller(Path folder) throws Exception {
    Controller controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .translator(TranslatorSettings.defaults().withGateway(GatewaySettings.defaults()))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .https(HttpsSettings.defaults(0))
                .admin("127.0.0.1", 0)
                .build());
    controllers.add(controller);
    return controller;
  }

  /** The objects {@code audit --to-gateway} prints for a folder. */
  static String convert(Path folder, Optional<String> ingressClass, boolean experimental)
      throws Exception {
    ManifestSource source = new ManifestSource(folder, new ManifestParser());
    ClusterSnapshot snapshot;
    try {
      source.start(ChangeListener.NONE);
      snapshot = source.snapshot();
    } finally {
      source.close();
    }
    Audit audit = new Audit(ingressClass, SnippetAnnotations.REFUSE, Optional.empty());
    return new GatewayConversion("portico", Optional.empty(), experimental)
        .convert(snapshot, audit.selected(snapshot))
        .yaml();
  }

  /**
   * Services by name and port (named http), each with its own echo backend, named as the Service
   * without {@code -svc}.
   */
  private String services(String namespace, Object... namesAndPorts) throws Exception {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < namesAndPorts.length; i += 2) {
      String name = (String) namesAndPorts[i];
      int port = (Integer) namesAndPorts[i + 1];
      EchoBackend echo =
          await(EchoBackend.start(vertx.vertx(), name.replace("-svc", ""), "127.0.0.1", 0));
      out.append(
              Manifests.service(name, echo.port())
                  .replace("namespace: default", "namespace: " + namespace)
                  .replace("port: 80}", "port: " + port + "}"))
          .append("---\n");
    }
    return out.substring(0, out.length() - "---\n".length());
  }

  private void awaitRoutesAccepted(Controller controller, int routes) throws Exception {
    HttpProbe admin = new HttpProbe(vertx.vertx(), controller.adminPort());
    Await.until(
        routes + " HTTPRoutes accepted on every parent",
        CHANGE,
        () -> {
          JsonObject status = admin.get("localhost", "/status").json();
          int accepted = 0;
          for (Object item : status.getJsonArray("items")) {
            JsonObject object = (JsonObject) item;
            if (!object.getString("kind").equals("HTTPRoute")) {
              continue;
            }
            boolean all = true;
            for (Object parent : object.getJsonObject("status").getJsonArray("parents")) {
              for (Object condition : ((JsonObject) parent).getJsonArray("conditions")) {
                JsonObject c = (JsonObject) condition;
                all &=
                    !c.getString("type").equals("Accepted") || c.getString("status").equals("True");
              }
            }
            accepted += all ? 1 : 0;
          }
          return accepted == routes;
        });
  }

  private String routes(Controller controller) throws Exception {
    return new HttpProbe(vertx.vertx(), controller.adminPort())
        .get("localhost", "/routes?format=text")
        .text();
  }

  private Seen http(Controller controller, String host, String uri) throws Exception {
    HttpProbe.Answer answer = new HttpProbe(vertx.vertx(), controller.httpPort()).get(host, uri);
    return seen(answer.status(), answer.text(), answer.headers().get("location"));
  }

  private Seen https(Controller controller, String host, String path) throws Exception {
    TlsProbe.Answer answer = TlsProbe.get(controller.httpsPort(), host, host, path);
    return seen(answer.status(), answer.body(), answer.header("location"));
  }

  private static Seen seen(int status, String body, String location) {
    // ingress-nginx's HTTPS redirect drops a trailing slash (preserve-trailing-slash: false); a
    // RequestRedirect keeps the path as it is, and the conversion says so.
    if (location != null && location.endsWith("/")) {
      location = location.substring(0, location.length() - 1);
    }
    if (status == 200 && body.startsWith("{")) {
      JsonObject json = new JsonObject(body);
      return new Seen(status, json.getString("backend"), json.getString("uri"), location);
    }
    return new Seen(status, null, null, location);
  }

  /** Which backend 100 requests to shop.test get, with {@code x-canary} set unless empty. */
  private Map<String, Integer> shares(Controller controller, String canaryHeader) throws Exception {
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (!canaryHeader.isEmpty()) {
      headers.add("x-canary", canaryHeader);
    }
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < 100; i++) {
      HttpProbe.Answer answer = probe.send(HttpMethod.GET, "shop.test", "/", headers, null);
      counts.merge(answer.backend(), 1, Integer::sum);
    }
    return counts;
  }

  private static TlsKeyPair leaf(String host) {
    return CertificateGenerator.selfSigned(
        LeafRequest.builder()
            .commonName(host)
            .dnsName(host)
            .keyType(KeyType.EC_P256)
            .validity(Duration.ofDays(30))
            .build(),
        Instant.now());
  }
}
