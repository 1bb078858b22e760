package io.portico.controller.annotations;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.Finding;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.portico.router.testing.TlsProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code add-headers} and {@code custom-headers} through the real server, from a folder of
 * manifests: the headers reach the client over HTTP and HTTPS, the Ingress's own win over the
 * platform's, a header the allow-list does not name makes its Ingress answer 503 (with the
 * platform's headers), and an edit of a referenced ConfigMap applies to the next requests.
 */
class ResponseHeadersThroughTheServerTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;

  private Controller controller;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    write("services.yaml", Manifests.service("app-svc", app.port()));
    write(
        "ingresses.yaml",
        Manifests.ingress("plain", "plain.test", "/", "app-svc")
            + "---\n"
            + annotated(
                Manifests.tlsIngress("headers", "app-svc", "headers.test", "headers-tls"),
                "nginx.ingress.kubernetes.io/custom-headers: default/app-headers",
                "nginx.ingress.kubernetes.io/ssl-redirect: \"false\"")
            + "---\n"
            + annotated(
                Manifests.ingress("denied", "denied.test", "/", "app-svc"),
                "portico.io/custom-headers: denied-headers"));
    write(
        "config.yaml",
        configMap(
            "portico",
            "portico-config",
            "add-headers: portico/platform-headers",
            "global-allowed-response-headers: X-App,X-Frame-Options"));
    write(
        "platform.yaml",
        configMap(
            "portico",
            "platform-headers",
            "X-Frame-Options: SAMEORIGIN",
            "X-Content-Type-Options: nosniff"));
    write("app.yaml", configMap("default", "app-headers", "X-App: v1", "X-Frame-Options: DENY"));
    write("denied.yaml", configMap("default", "denied-headers", "Set-Cookie: session=1"));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .translator(
                    TranslatorSettings.defaults()
                        .withConfigMap(new ObjectKey("portico", "portico-config")))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .https(HttpsSettings.defaults(0))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until("the first configuration", CHANGE, () -> plain("x-frame-options") != null);
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  /** {@code ingress} with these annotations in its metadata. */
  private static String annotated(String ingress, String... annotations) {
    return ingress.replaceFirst(
        "metadata: \\{name: (\\S+), namespace: default\\}",
        "metadata:\n  name: $1\n  namespace: default\n  annotations:\n    "
            + String.join("\n    ", annotations));
  }

  private static String configMap(String namespace, String name, String... data) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: %s}
        data:
          %s
        """
        .formatted(name, namespace, String.join("\n  ", data));
  }

  private void write(String file, String text) throws Exception {
    Path temporary = folder.resolve("." + file + ".tmp");
    Files.writeString(temporary, text);
    Files.move(temporary, folder.resolve(file), StandardCopyOption.ATOMIC_MOVE);
  }

  private String plain(String header) throws Exception {
    return client.get("plain.test", "/").headers().get(header);
  }

  private TlsProbe.Answer https(String host) throws Exception {
    return TlsProbe.get(controller.httpsPort(), host, host, "/");
  }

  @Test
  void headersReachTheClientOverHttpAndHttps() throws Exception {
    HttpProbe.Answer plain = client.get("plain.test", "/");
    assertEquals(200, plain.status());
    assertEquals("SAMEORIGIN", plain.headers().get("x-frame-options"));
    assertEquals("nosniff", plain.headers().get("x-content-type-options"));
    assertNull(plain.headers().get("x-app"));

    HttpProbe.Answer own = client.get("headers.test", "/");
    assertEquals(200, own.status());
    assertEquals("v1", own.headers().get("x-app"));
    assertEquals("DENY", own.headers().get("x-frame-options"));
    assertEquals("nosniff", own.headers().get("x-content-type-options"));

    TlsProbe.Answer secure = https("headers.test");
    assertEquals(200, secure.status());
    assertEquals("v1", secure.header("x-app"));
    assertEquals("DENY", secure.header("x-frame-options"));
    assertEquals("nosniff", secure.header("x-content-type-options"));
    assertEquals("max-age=31536000; includeSubDomains", secure.header("strict-transport-security"));

    // Set-Cookie is not in global-allowed-response-headers: the Ingress fails closed.
    HttpProbe.Answer denied = client.get("denied.test", "/");
    assertEquals(503, denied.status());
    assertEquals("SAMEORIGIN", denied.headers().get("x-frame-options"));
    assertNull(denied.headers().get("set-cookie"));
    assertEquals(
        List.of(
            "WARNING Ingress default/denied InvalidAnnotation: portico.io/custom-headers:"
                + " \"denied-headers\" (expected: a ConfigMap of allowed headers; ConfigMap"
                + " default/denied-headers: header Set-Cookie is not allowed (expected: a name"
                + " listed in the controller ConfigMap's global-allowed-response-headers));"
                + " every route of the Ingress answers 503"),
        warnings("default/denied"));
  }

  @Test
  void anEditOfAReferencedConfigMapAppliesToTheNextRequests() throws Exception {
    write("app.yaml", configMap("default", "app-headers", "X-App: v2"));
    Await.until(
        "the new value over HTTPS",
        CHANGE,
        () -> "v2".equals(https("headers.test").header("x-app")));
    // The Ingress's own X-Frame-Options is gone: the platform's applies again.
    assertEquals("SAMEORIGIN", https("headers.test").header("x-frame-options"));

    write(
        "platform.yaml",
        configMap(
            "portico",
            "platform-headers",
            "X-Frame-Options: SAMEORIGIN",
            "Referrer-Policy: no-referrer",
            "Bad Name: 1"));
    Await.until("the new platform header", CHANGE, () -> plain("referrer-policy") != null);
    assertEquals("no-referrer", https("headers.test").header("referrer-policy"));
    assertNull(plain("x-content-type-options"));
    assertEquals(
        List.of(
            "WARNING ConfigMap portico/portico-config InvalidAddHeaders: add-headers: ConfigMap"
                + " portico/platform-headers: header name \"Bad Name\" (expected: a token); left"
                + " out"),
        warnings("portico/portico-config"));

    // Without its ConfigMap, the Ingress that asked for headers fails closed.
    Files.delete(folder.resolve("app.yaml"));
    Await.until("503 without the ConfigMap", CHANGE, () -> https("headers.test").status() == 503);
    assertEquals(503, client.get("headers.test", "/").status());
    assertEquals(200, client.get("plain.test", "/").status());
  }

  private List<String> warnings(String object) {
    return controller.latestTranslation().findings().stream()
        .filter(f -> f.severity() == Finding.Severity.WARNING)
        .filter(f -> f.toString().contains(" " + object + " "))
        .map(Finding::toString)
        .toList();
  }
}
