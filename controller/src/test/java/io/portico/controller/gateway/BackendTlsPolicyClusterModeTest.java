package io.portico.controller.gateway;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.PolicyAncestorStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portico.controller.Controller;
import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.GatewayApiCrds;
import io.portico.controller.testing.Manifests;
import io.portico.router.echo.EchoBackend;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateGenerator.LeafRequest;
import io.portico.tls.KeyType;
import io.portico.tls.Pem;
import io.portico.tls.TlsKeyPair;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * BackendTLSPolicy from the API server (fabric8's mock in CRUD mode with the Gateway API CRDs, real
 * informers): the leader writes the policy's ancestors, the route speaks TLS to the backend, a
 * ConfigMap deleted (as the suite's nonexistent reference) and created again is reconciled, as in
 * the suite's BackendTLSPolicy and BackendTLSPolicyInvalidCACertificateRef tests, and a CA
 * reference of another kind is written as BackendTLSPolicyInvalidKind expects. Without the
 * BackendTLSPolicy CRD, Gateways are served as before.
 */
@EnableKubernetesMockClient(crud = true)
class BackendTlsPolicyClusterModeTest {

  private static final Duration CHANGE = Duration.ofSeconds(15);
  private static final Instant NOW = Instant.now();
  private static final TlsKeyPair CA =
      CertificateGenerator.certificateAuthority(
          "Cluster CA", KeyType.EC_P256, Duration.ofDays(20), NOW);
  private static final TlsKeyPair BACKEND =
      CertificateGenerator.signedBy(
          CA,
          LeafRequest.builder()
              .commonName("abc.example.com")
              .dnsName("abc.example.com")
              .keyType(KeyType.EC_P256)
              .validity(Duration.ofDays(10))
              .build(),
          NOW);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  // The TLS backend runs on a Vert.x of its own: the JDK's first TLS handshake in a JVM loads its
  // classes on the server's event loop, which is the fixture's business, not Portico's.
  private final Vertx backends = Vertx.vertx();
  KubernetesMockServer server;
  KubernetesClient client;
  private Controller controller;

  @AfterEach
  void stop() throws Exception {
    if (controller != null) {
      controller.close();
    }
    await(backends.close());
  }

  private static final String GATEWAY =
      Manifests.webGateway()
          + """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: web, namespace: default}
      spec:
        parentRefs: [{name: web}]
        hostnames: [abc.example.com]
        rules:
        - backendRefs: [{name: app-svc, port: 80}]
        - matches: [{path: {type: PathPrefix, value: /kind}}]
          backendRefs: [{name: kind-svc, port: 80}]
      """;

  @Test
  void theLeaderWritesTheAncestorsAndTheRouteSpeaksTls() throws Exception {
    int tls =
        await(
                backends
                    .createHttpServer(
                        new HttpServerOptions()
                            .setSsl(true)
                            .setSni(true)
                            .setKeyCertOptions(
                                new PemKeyCertOptions()
                                    .addCertValue(Buffer.buffer(Pem.certificates(BACKEND.chain())))
                                    .addKeyValue(
                                        Buffer.buffer(Pem.privateKey(BACKEND.privateKey())))))
                    .requestHandler(
                        request ->
                            request
                                .response()
                                .end("sni=" + request.connection().indicatedServerName()))
                    .listen(0, "127.0.0.1"))
            .actualPort();
    GatewayApiCrds.install(client);
    ClusterHarness.apply(client, Manifests.service("app-svc", tls));
    ClusterHarness.apply(client, GATEWAY);
    ClusterHarness.apply(client, caConfigMap());
    ClusterHarness.apply(
        client,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: BackendTLSPolicy
        metadata: {name: app-tls, namespace: default}
        spec:
          targetRefs: [{group: "", kind: Service, name: app-svc, sectionName: http}]
          validation:
            caCertificateRefs: [{group: "", kind: ConfigMap, name: app-ca}]
            hostname: abc.example.com
        """);
    ClusterHarness.apply(client, Manifests.service("kind-svc", tls));
    ClusterHarness.apply(
        client,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: BackendTLSPolicy
        metadata: {name: invalid-kind, namespace: default}
        spec:
          targetRefs: [{group: "", kind: Service, name: kind-svc}]
          validation:
            caCertificateRefs: [{group: "", kind: Secret, name: app-ca}]
            hostname: abc.example.com
        """);
    controller = ClusterHarness.start(client.getConfiguration(), "solo", Optional.empty());
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());

    Await.until(
        "the ancestors written",
        CHANGE,
        () ->
            conditions()
                .equals(
                    List.of(
                        "default/web Accepted=True Accepted",
                        "default/web ResolvedRefs=True ResolvedRefs")));
    Await.until(
        "TLS to the backend", CHANGE, () -> probe.get("abc.example.com", "/").status() == 200);
    Await.until(
        "an invalid kind written",
        CHANGE,
        () ->
            conditions("invalid-kind")
                .equals(
                    List.of(
                        "default/web Accepted=False NoValidCACertificate",
                        "default/web ResolvedRefs=False InvalidKind")));
    assertEquals(502, probe.get("abc.example.com", "/kind").status(), "never sent unverified");
    assertEquals("sni=abc.example.com", probe.get("abc.example.com", "/").text());

    client.configMaps().inNamespace("default").withName("app-ca").delete();
    Await.until(
        "the missing ConfigMap in status",
        CHANGE,
        () ->
            conditions()
                .equals(
                    List.of(
                        "default/web Accepted=False NoValidCACertificate",
                        "default/web ResolvedRefs=False InvalidCACertificateRef")));
    Await.until(
        "connections fail", CHANGE, () -> probe.get("abc.example.com", "/").status() == 502);

    ClusterHarness.apply(client, caConfigMap());
    Await.until(
        "the ConfigMap back", CHANGE, () -> probe.get("abc.example.com", "/").status() == 200);
  }

  @Test
  void withoutTheBackendTlsPolicyCrdGatewaysAreServedAsBefore() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    GatewayApiCrds.installWithout(client, "backendtlspolicies");
    ClusterHarness.apply(client, Manifests.service("app-svc", app.port()));
    ClusterHarness.apply(client, GATEWAY);
    controller = ClusterHarness.start(client.getConfiguration(), "solo", Optional.empty());
    HttpProbe probe = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the route served", CHANGE, () -> probe.get("abc.example.com", "/").status() == 200);
    Await.until(
        "the route's status written",
        CHANGE,
        () -> {
          HTTPRoute route =
              client.resources(HTTPRoute.class).inNamespace("default").withName("web").get();
          return route.getStatus() != null && !route.getStatus().getParents().isEmpty();
        });
  }

  private static String caConfigMap() {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app-ca, namespace: default}
        data:
          ca.crt: |
        %s
        """
        .formatted(Pem.certificates(CA.chain()).indent(4).stripTrailing());
  }

  /** The conditions of policy app-tls as written, per ancestor. */
  private List<String> conditions() {
    return conditions("app-tls");
  }

  /** A policy's conditions as written, per ancestor. */
  private List<String> conditions(String name) {
    BackendTLSPolicy policy =
        client.resources(BackendTLSPolicy.class).inNamespace("default").withName(name).get();
    List<String> out = new ArrayList<>();
    if (policy == null || policy.getStatus() == null) {
      return out;
    }
    for (PolicyAncestorStatus ancestor : policy.getStatus().getAncestors()) {
      for (var condition : ancestor.getConditions()) {
        out.add(
            ancestor.getAncestorRef().getNamespace()
                + "/"
                + ancestor.getAncestorRef().getName()
                + " "
                + condition.getType()
                + "="
                + condition.getStatus()
                + " "
                + condition.getReason());
      }
    }
    return out;
  }
}
