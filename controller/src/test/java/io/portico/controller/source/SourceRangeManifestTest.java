package io.portico.controller.source;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.portico.router.testing.TlsProbe;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source-range and CORS annotations, and the ConfigMap's global lists, through the real controller:
 * in the spirit of ingress-nginx's e2e tests annotations/ipallowlist.go, ipdenylist.go and cors.go.
 * The test client connects from 127.0.0.1.
 */
class SourceRangeManifestTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;

  private Controller controller;
  private HttpProbe client;

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
  }

  private static String annotated(String ingress, String annotations) {
    return ingress.replace(
        "namespace: default}", "namespace: default, annotations: {" + annotations + "}}");
  }

  private void start(String configData, String ingresses) throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    Files.writeString(folder.resolve("services.yaml"), Manifests.service("app-svc", app.port()));
    Files.writeString(
        folder.resolve("ingresses.yaml"),
        ingresses
            + "---\n"
            + annotated(
                Manifests.ingress("ready", "ready.test", "/", "app-svc"),
                "portico.io/allowlist-source-range: \"127.0.0.1\","
                    + " portico.io/denylist-source-range: \"192.0.2.1\""));
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
                .https(HttpsSettings.defaults(0))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the first configuration", Duration.ofSeconds(10), () -> status("ready.test") == 200);
  }

  private int status(String host) throws Exception {
    return client.get(host, "/").status();
  }

  private String findings() {
    return controller.latestTranslation().findings().toString();
  }

  @Test
  void annotationsAllowAndDenyOnHttpAndHttpsAndBeforeTheRedirect() throws Exception {
    start(
        "ssl-redirect: \"true\"",
        annotated(
                Manifests.ingress("in", "in.test", "/", "app-svc"),
                "nginx.ingress.kubernetes.io/allowlist-source-range: \"10.0.0.0/8, 127.0.0.1\"")
            + "---\n"
            + annotated(
                Manifests.ingress("out", "out.test", "/", "app-svc"),
                "nginx.ingress.kubernetes.io/whitelist-source-range: \"10.0.0.0/8\"")
            + "---\n"
            + annotated(
                Manifests.ingress("denied", "denied.test", "/", "app-svc"),
                "nginx.ingress.kubernetes.io/denylist-source-range: \"127.0.0.0/8\"")
            + "---\n"
            + annotated(
                Manifests.tlsIngress("secure", "app-svc", "secure.test", "secure-tls"),
                "portico.io/allowlist-source-range: \"192.0.2.0/24\""));
    assertEquals(200, status("in.test"));
    assertEquals(403, status("out.test"));
    assertEquals(403, status("denied.test"));
    // A TLS host redirects plain HTTP: the refusal comes first.
    assertEquals(403, status("secure.test"));
    assertEquals(
        403, TlsProbe.get(controller.httpsPort(), "secure.test", "secure.test", "/").status());
  }

  @Test
  void theGlobalListAppliesWhereNoAnnotationReplacesIt() throws Exception {
    start(
        "whitelist-source-range: \"10.0.0.0/8\"",
        Manifests.ingress("plain", "plain.test", "/", "app-svc")
            + "---\n"
            + annotated(
                Manifests.ingress("own", "own.test", "/", "app-svc"),
                "nginx.ingress.kubernetes.io/allowlist-source-range: \"127.0.0.1\""));
    assertEquals(403, status("plain.test"));
    assertEquals(200, status("own.test"));
  }

  @Test
  void anInvalidListRefusesOrClosesTheIngressNeverServingItOpen() throws Exception {
    start(
        "denylist-source-range: \"10.0.0.0/33\"",
        annotated(
                Manifests.ingress("bad", "bad.test", "/", "app-svc"),
                "nginx.ingress.kubernetes.io/allowlist-source-range: \"10.0.0.0/8, nonsense\"")
            + "---\n"
            + annotated(
                Manifests.ingress("global", "global.test", "/", "app-svc"),
                "nginx.ingress.kubernetes.io/allowlist-source-range: \"127.0.0.1\""));
    assertEquals(404, status("bad.test"));
    // ingress-nginx answers 503 on locations whose global list is invalid: never open.
    assertEquals(503, status("global.test"));
    assertTrue(findings().contains("nonsense"), findings());
    assertTrue(findings().contains("denylist-source-range"), findings());
  }

  @Test
  void corsAnswersOptionsAndAddsItsHeaders() throws Exception {
    start(
        "hsts: \"true\"",
        annotated(
            Manifests.ingress("cors", "cors.test", "/", "app-svc"),
            "nginx.ingress.kubernetes.io/enable-cors: \"true\","
                + " nginx.ingress.kubernetes.io/cors-allow-origin: \"https://*.example.com\","
                + " nginx.ingress.kubernetes.io/cors-allow-credentials: \"false\""));
    HttpProbe.Answer preflight =
        client.send(
            HttpMethod.OPTIONS,
            "cors.test",
            "/",
            MultiMap.caseInsensitiveMultiMap().add("Origin", "https://app.example.com"),
            null);
    assertEquals(204, preflight.status());
    assertEquals("https://app.example.com", preflight.headers().get("access-control-allow-origin"));
    assertEquals(null, preflight.headers().get("access-control-allow-credentials"));
    HttpProbe.Answer other =
        client.send(
            HttpMethod.OPTIONS,
            "cors.test",
            "/",
            MultiMap.caseInsensitiveMultiMap().add("Origin", "https://evil.test"),
            null);
    assertEquals(200, other.status());
    assertEquals(null, other.headers().get("access-control-allow-origin"));
  }
}
