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
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code service-upstream} from a manifest folder to the real server, in the spirit of
 * ingress-nginx's e2e test (annotations/serviceupstream.go): the Service's ClusterIP (a loopback
 * address, 127.0.0.2, where one echo backend listens) and port are used instead of its endpoints
 * (another echo backend on 127.0.0.1), by the annotation or the ConfigMap, not when the annotation
 * says false; affinity beside it is off; a Service without a ClusterIP is served through its
 * endpoints, with a warning.
 */
class ServiceUpstreamThroughTheServerTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private Controller controller;
  private HttpProbe client;
  private int servicePort;

  @BeforeEach
  void start() throws Exception {
    EchoBackend clusterIp = await(EchoBackend.start(vertx.vertx(), "cluster-ip", "127.0.0.2", 0));
    EchoBackend pods = await(EchoBackend.start(vertx.vertx(), "pods", "127.0.0.1", 0));
    servicePort = clusterIp.port();
    String objects =
        String.join(
            "---\n",
            service("app-svc", "clusterIP: 127.0.0.2, ", pods.port()),
            service("headless-svc", "clusterIP: None, ", pods.port()),
            service("unwritten-svc", "", pods.port()),
            ingress("cluster", "cluster.test", "app-svc", "service-upstream: \"true\""),
            ingress("pods", "pods.test", "app-svc"),
            ingress(
                "sticky",
                "sticky.test",
                "app-svc",
                "service-upstream: \"true\"",
                "affinity: cookie"),
            ingress("headless", "headless.test", "headless-svc", "service-upstream: \"true\""),
            ingress("unwritten", "unwritten.test", "unwritten-svc", "service-upstream: \"true\""));
    Files.writeString(folder.resolve("objects.yaml"), objects);
    TranslatorSettings defaults = TranslatorSettings.defaults();
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .translator(
                    new TranslatorSettings(
                        defaults.ingressClass(),
                        defaults.controllerName(),
                        defaults.watchIngressWithoutClass(),
                        defaults.defaultBackend(),
                        defaults.allowExternalNameServices(),
                        Optional.of(new ObjectKey("portico", "portico-config")),
                        defaults.snippetAnnotations()))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the first configuration", CHANGE, () -> client.get("pods.test", "/").status() == 200);
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  @Test
  void theClusterIpAndPortServeInsteadOfTheEndpoints() throws Exception {
    HttpProbe.Answer answer = client.get("cluster.test", "/");
    assertEquals("cluster-ip", answer.backend());
    assertEquals("127.0.0.2:" + servicePort, answer.json().getString("instance"));
    assertEquals("pods", client.get("pods.test", "/").backend(), "without the annotation");
  }

  @Test
  void theConfigMapTurnsItOnAndTheAnnotationOff() throws Exception {
    write(
        "config.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: portico-config, namespace: portico}
        data: {service-upstream: "true"}
        """);
    write("off.yaml", ingress("off", "off.test", "app-svc", "service-upstream: \"false\""));
    Await.until(
        "the ConfigMap read",
        CHANGE,
        () -> "cluster-ip".equals(client.get("pods.test", "/").json().getString("backend")));
    assertEquals("pods", client.get("off.test", "/").backend());
  }

  @Test
  void affinityBesideItIsOff() throws Exception {
    HttpProbe.Answer answer = client.get("sticky.test", "/");
    assertEquals("cluster-ip", answer.backend());
    assertNull(answer.headers().get("set-cookie"), "no session cookie");
  }

  @Test
  void aServiceWithoutClusterIpIsServedThroughItsEndpointsWithAWarning() throws Exception {
    assertEquals("pods", client.get("headless.test", "/").backend());
    assertEquals("pods", client.get("unwritten.test", "/").backend());
    List<String> warnings =
        controller.latestTranslation().findings().stream()
            .filter(finding -> finding.reason().equals("ServiceUpstreamWithoutClusterIP"))
            .map(Finding::toString)
            .toList();
    assertEquals(
        List.of(
            "WARNING Ingress default/headless ServiceUpstreamWithoutClusterIP: Service"
                + " default/headless-svc has no spec.clusterIP (headless, ExternalName, or not"
                + " written in the manifest): service-upstream sends to its endpoints instead"
                + " (rule headless.test /)",
            "WARNING Ingress default/unwritten ServiceUpstreamWithoutClusterIP: Service"
                + " default/unwritten-svc has no spec.clusterIP (headless, ExternalName, or not"
                + " written in the manifest): service-upstream sends to its endpoints instead"
                + " (rule unwritten.test /)"),
        warnings);
  }

  private void write(String file, String text) throws Exception {
    // Written aside and moved in, so the folder never shows a half-written file.
    Path temporary = folder.resolve("." + file + ".tmp");
    Files.writeString(temporary, text);
    Files.move(temporary, folder.resolve(file), StandardCopyOption.ATOMIC_MOVE);
  }

  /** A Service of one port, the echo backend's, with {@code spec} extras, and its endpoints. */
  private String service(String name, String spec, int endpointPort) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: default}
        spec: {%sports: [{name: http, port: %d}]}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: %s-1, namespace: default, labels: {kubernetes.io/service-name: %s}}
        addressType: IPv4
        ports: [{name: http, port: %d}]
        endpoints: [{addresses: [127.0.0.1], conditions: {ready: true}}]
        """
        .formatted(name, spec, servicePort, name, name, endpointPort);
  }

  private String ingress(String name, String host, String service, String... annotations) {
    String[] prefixed = new String[annotations.length];
    for (int i = 0; i < annotations.length; i++) {
      prefixed[i] = "nginx.ingress.kubernetes.io/" + annotations[i];
    }
    return Manifests.annotatedIngress(name, host, prefixed)
        .replace(
            "name: app-svc, port: {number: 80}",
            "name: " + service + ", port: {number: " + servicePort + "}");
  }
}
