package io.portico.controller.annotations;

import static io.portico.controller.annotations.BackendCertificates.BACKEND;
import static io.portico.controller.annotations.BackendCertificates.CA;
import static io.portico.controller.annotations.BackendCertificates.CLIENT;
import static io.portico.controller.annotations.BackendCertificates.OTHER_CA;
import static io.portico.controller.annotations.BackendCertificates.certificate;
import static io.portico.controller.annotations.BackendCertificates.key;
import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.testing.Manifests;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.LogCapture;
import io.portico.router.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy-ssl-*} from Ingresses and Secrets in a manifest folder to answers of the real server
 * and real TLS backends, in the spirit of ingress-nginx's e2e tests (annotations/proxyssl.go): a
 * backend verified against the Secret's CA with depth 2, SNI and a client certificate (mutual TLS),
 * an unverified one by default, a backend of another CA or another name (502, with a warning naming
 * the route and why), and a Secret that appears later (503 until then).
 */
class ProxySslThroughTheServerTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();

  // The TLS backends run on a Vert.x of their own: the JDK's first TLS handshake in a JVM loads its
  // classes on the server's event loop, which is the fixture's business, not Portico's.
  private final Vertx backends = Vertx.vertx();
  @TempDir Path folder;
  private Controller controller;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    int mutual = backend(true);
    int plain = backend(false);
    EchoBackend echo = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    String objects =
        String.join(
            "---\n",
            service("mutual-svc", mutual),
            service("plain-svc", plain),
            ingress(
                "verified",
                "verified.test",
                "mutual-svc",
                "backend-protocol: HTTPS",
                "proxy-ssl-secret: default/backend-tls",
                "proxy-ssl-verify: \"on\"",
                "proxy-ssl-verify-depth: \"2\"",
                "proxy-ssl-name: backend.test",
                "proxy-ssl-server-name: \"on\""),
            ingress(
                "unverified",
                "unverified.test",
                "plain-svc",
                "backend-protocol: HTTPS",
                "proxy-ssl-secret: default/other-ca"),
            ingress(
                "wrong-ca",
                "wrong-ca.test",
                "plain-svc",
                "backend-protocol: HTTPS",
                "proxy-ssl-secret: default/other-ca",
                "proxy-ssl-verify: \"on\""),
            ingress(
                "wrong-name",
                "wrong-name.test",
                "plain-svc",
                "backend-protocol: HTTPS",
                "proxy-ssl-secret: default/backend-tls",
                "proxy-ssl-verify: \"on\"",
                "proxy-ssl-name: other.test"),
            ingress(
                "later",
                "later.test",
                "plain-svc",
                "backend-protocol: HTTPS",
                "proxy-ssl-secret: default/later",
                "proxy-ssl-verify: \"on\"",
                "proxy-ssl-name: backend.test"),
            Manifests.annotatedIngress("open", "open.test"),
            service("app-svc", echo.port()));
    Files.writeString(folder.resolve("objects.yaml"), objects);
    Files.writeString(
        folder.resolve("secrets.yaml"),
        secret(
                "backend-tls",
                Map.of(
                    "ca.crt", certificate(CA),
                    "tls.crt", certificate(CLIENT),
                    "tls.key", key(CLIENT)))
            + "---\n"
            + secret("other-ca", Map.of("ca.crt", certificate(OTHER_CA))));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the first configuration",
        CHANGE,
        () -> client.get("unverified.test", "/").status() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    controller.close();
    await(backends.close());
  }

  /** A TLS backend with a certificate for backend.test signed by CA; answers with what it saw. */
  private int backend(boolean wantsClientCertificate) throws Exception {
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setSni(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .addCertValue(Buffer.buffer(certificate(BACKEND)))
                    .addKeyValue(Buffer.buffer(key(BACKEND))));
    if (wantsClientCertificate) {
      options
          .setClientAuth(ClientAuth.REQUIRED)
          .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(certificate(CLIENT))));
    }
    return await(
            backends
                .createHttpServer(options)
                .requestHandler(
                    request ->
                        request
                            .response()
                            .end(
                                "sni="
                                    + request.connection().indicatedServerName()
                                    + " host="
                                    + request.authority().host()))
                .listen(0, "127.0.0.1"))
        .actualPort();
  }

  @Test
  void aVerifiedBackendWithSniAndAClientCertificate() throws Exception {
    HttpProbe.Answer answer = client.get("verified.test", "/");
    assertEquals(200, answer.status());
    assertEquals("sni=backend.test host=verified.test", answer.text());
  }

  @Test
  void withoutProxySslVerifyTheBackendIsNotVerified() throws Exception {
    assertEquals("sni=null host=unverified.test", client.get("unverified.test", "/").text());
  }

  @Test
  void aBackendOfAnotherCaOrNameIs502WithAWarningNamingTheRoute() throws Exception {
    try (LogCapture log = new LogCapture()) {
      assertEquals(502, client.get("wrong-ca.test", "/").status());
      Await.until(
          "a warning naming the route and why",
          CHANGE,
          () ->
              log.text().contains("event=upstream_tls_failed route=default/wrong-ca wrong-ca.test")
                  && log.text().contains("certificate not trusted"));
      assertEquals(502, client.get("wrong-name.test", "/").status());
      Await.until(
          "a warning naming the name",
          CHANGE,
          () -> log.text().contains("certificate does not name other.test (proxy-ssl-name)"));
    }
    assertEquals(200, client.get("open.test", "/").status(), "other Ingresses are served");
  }

  @Test
  void aSecretThatAppearsLaterTakesEffect() throws Exception {
    assertEquals(503, client.get("later.test", "/").status(), "never served unverified");
    Files.writeString(
        folder.resolve("later.yaml"), secret("later", Map.of("ca.crt", certificate(CA))));
    Await.until("the Secret read", CHANGE, () -> client.get("later.test", "/").status() == 200);
  }

  private static String service(String name, int port) {
    return Manifests.service(name, port);
  }

  private static String ingress(String name, String host, String service, String... annotations) {
    return Manifests.annotatedIngress(
            name,
            host,
            Arrays.stream(annotations)
                .map(annotation -> "nginx.ingress.kubernetes.io/" + annotation)
                .toArray(String[]::new))
        .replace("name: app-svc", "name: " + service);
  }

  /** An Opaque Secret, its values base64-encoded as the API server stores them. */
  private static String secret(String name, Map<String, String> data) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: default}
        type: Opaque
        data:
        %s
        """
        .formatted(
            name,
            data.entrySet().stream()
                .map(
                    entry ->
                        "  "
                            + entry.getKey()
                            + ": "
                            + Base64.getEncoder()
                                .encodeToString(entry.getValue().getBytes(StandardCharsets.UTF_8)))
                .collect(Collectors.joining("\n")));
  }
}
