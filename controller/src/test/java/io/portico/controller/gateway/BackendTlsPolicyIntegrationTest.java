package io.portico.controller.gateway;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * BackendTLSPolicy in manifests mode, through the real server and a real TLS backend, after the
 * suite's BackendTLSPolicy, BackendTLSPolicySANValidation, BackendTLSPolicyInvalidCACertificateRef,
 * BackendTLSPolicyInvalidKind and BackendTLSPolicyConflictResolution tests: a valid policy (SNI is
 * its hostname, the backend verified against the ConfigMap's CA), a mismatched hostname or CA (an
 * HTTP error), subject alternative names, invalid references (5xx, and the reasons in {@code
 * /status}), precedence between two policies, and a ConfigMap that appears later.
 */
class BackendTlsPolicyIntegrationTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);
  private static final Instant NOW = Instant.now();
  private static final TlsKeyPair CA =
      CertificateGenerator.certificateAuthority(
          "Policy CA", KeyType.EC_P256, Duration.ofDays(20), NOW);
  private static final TlsKeyPair OTHER_CA =
      CertificateGenerator.certificateAuthority(
          "Other CA", KeyType.EC_P256, Duration.ofDays(20), NOW);
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

  // The TLS backends run on a Vert.x of their own: the JDK's first TLS handshake in a JVM loads its
  // classes on the server's event loop, which is the fixture's business, not Portico's.
  private final Vertx backends = Vertx.vertx();
  @TempDir Path folder;
  private Controller controller;
  private HttpProbe client;
  private HttpProbe admin;

  @BeforeEach
  void start() throws Exception {
    int tls = tlsBackend();
    EchoBackend plain = await(EchoBackend.start(vertx.vertx(), "plain", "127.0.0.1", 0));
    List<String> objects = new ArrayList<>();
    objects.add(
        Manifests.webGateway()
            + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: backends, namespace: default}
        spec:
          parentRefs: [{name: web}]
          hostnames: [abc.example.com]
          rules:
          - matches: [{path: {type: PathPrefix, value: /valid}}]
            backendRefs: [{name: valid, port: 443}]
          - matches: [{path: {type: PathPrefix, value: /host-mismatch}}]
            backendRefs: [{name: host-mismatch, port: 443}]
          - matches: [{path: {type: PathPrefix, value: /cert-mismatch}}]
            backendRefs: [{name: cert-mismatch, port: 443}]
          - matches: [{path: {type: PathPrefix, value: /san}}]
            backendRefs: [{name: san, port: 443}]
          - matches: [{path: {type: PathPrefix, value: /invalid-ca}}]
            backendRefs: [{name: invalid-ca, port: 443}]
          - matches: [{path: {type: PathPrefix, value: /invalid-kind}}]
            backendRefs: [{name: invalid-kind, port: 443}]
          - matches: [{path: {type: PathPrefix, value: /conflict}}]
            backendRefs: [{name: conflict, port: 443}]
          - matches: [{path: {type: PathPrefix, value: /later}}]
            backendRefs: [{name: later, port: 443}]
          - matches: [{path: {type: PathPrefix, value: /plain}}]
            backendRefs: [{name: plain, port: 80}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: ca, namespace: default}
        data:
          ca.crt: |
        %s
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: other-ca, namespace: default}
        data:
          ca.crt: |
        %s
        """
                .formatted(
                    Pem.certificates(CA.chain()).indent(4).stripTrailing(),
                    Pem.certificates(OTHER_CA.chain()).indent(4).stripTrailing()));
    for (String name :
        List.of(
            "valid",
            "host-mismatch",
            "cert-mismatch",
            "san",
            "invalid-ca",
            "invalid-kind",
            "conflict",
            "later")) {
      objects.add(service(name, "https", 443, tls));
    }
    objects.add(service("plain", "http", 80, plain.port()));
    objects.add(
        policy("valid", "2026-01-01T00:00:00Z", "valid", "ConfigMap", "ca", "abc.example.com", ""));
    objects.add(
        policy(
            "host-mismatch",
            "2026-01-01T00:00:00Z",
            "host-mismatch",
            "ConfigMap",
            "ca",
            "mismatch.example.com",
            ""));
    objects.add(
        policy(
            "cert-mismatch",
            "2026-01-01T00:00:00Z",
            "cert-mismatch",
            "ConfigMap",
            "other-ca",
            "abc.example.com",
            ""));
    objects.add(
        policy(
            "san",
            "2026-01-01T00:00:00Z",
            "san",
            "ConfigMap",
            "ca",
            "other.example.com",
            "    subjectAltNames: [{type: URI, uri: \"spiffe://nope\"}, {type: Hostname, hostname:"
                + " abc.example.com}]\n"));
    objects.add(
        policy(
            "invalid-ca",
            "2026-01-01T00:00:00Z",
            "invalid-ca",
            "ConfigMap",
            "missing",
            "abc.example.com",
            ""));
    objects.add(
        policy(
            "invalid-kind",
            "2026-01-01T00:00:00Z",
            "invalid-kind",
            "Secret",
            "ca",
            "abc.example.com",
            ""));
    objects.add(
        policy(
            "conflict-1",
            "2026-01-01T00:00:00Z",
            "conflict",
            "ConfigMap",
            "ca",
            "abc.example.com",
            ""));
    objects.add(
        policy(
            "conflict-2",
            "2026-01-02T00:00:00Z",
            "conflict",
            "ConfigMap",
            "other-ca",
            "abc.example.com",
            ""));
    objects.add(
        policy(
            "later",
            "2026-01-01T00:00:00Z",
            "later",
            "ConfigMap",
            "later-ca",
            "abc.example.com",
            ""));
    Files.writeString(folder.resolve("objects.yaml"), String.join("---\n", objects));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .translator(TranslatorSettings.defaults().withGateway(GatewaySettings.defaults()))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    admin = new HttpProbe(vertx.vertx(), controller.adminPort());
    Await.until(
        "the first configuration",
        CHANGE,
        () -> client.get("abc.example.com", "/plain").status() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    controller.close();
    await(backends.close());
  }

  /** A TLS backend for abc.example.com, signed by CA, that answers with the SNI it got. */
  private int tlsBackend() throws Exception {
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setSni(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .addCertValue(Buffer.buffer(Pem.certificates(BACKEND.chain())))
                    .addKeyValue(Buffer.buffer(Pem.privateKey(BACKEND.privateKey()))));
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
                                    + " path="
                                    + request.path()))
                .listen(0, "127.0.0.1"))
        .actualPort();
  }

  private static String service(String name, String portName, int port, int endpointPort) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s, namespace: default}
        spec: {ports: [{name: %2$s, port: %3$d}]}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: %1$s-0, namespace: default, labels: {kubernetes.io/service-name: %1$s}}
        addressType: IPv4
        ports: [{name: %2$s, port: %4$d}]
        endpoints: [{addresses: [127.0.0.1], conditions: {ready: true}}]
        """
        .formatted(name, portName, port, endpointPort);
  }

  private static String policy(
      String name,
      String created,
      String service,
      String caKind,
      String caName,
      String hostname,
      String more) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: BackendTLSPolicy
        metadata: {name: %s, namespace: default, creationTimestamp: "%s"}
        spec:
          targetRefs: [{group: "", kind: Service, name: %s}]
          validation:
            caCertificateRefs: [{group: "", kind: %s, name: %s}]
            hostname: %s
        %s"""
        .formatted(name, created, service, caKind, caName, hostname, more);
  }

  /** The summaries of a policy's conditions for Gateway default/web in {@code /status}. */
  private List<String> conditions(String policy) throws Exception {
    JsonArray items = admin.get("localhost", "/status").json().getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      if (item.getString("kind").equals("BackendTLSPolicy")
          && item.getJsonObject("metadata").getString("name").equals(policy)) {
        List<String> out = new ArrayList<>();
        JsonArray ancestors = item.getJsonObject("status").getJsonArray("ancestors");
        for (int a = 0; a < ancestors.size(); a++) {
          JsonObject ancestor = ancestors.getJsonObject(a);
          JsonObject ref = ancestor.getJsonObject("ancestorRef");
          JsonArray list = ancestor.getJsonArray("conditions");
          for (int c = 0; c < list.size(); c++) {
            JsonObject condition = list.getJsonObject(c);
            out.add(
                ref.getString("namespace")
                    + "/"
                    + ref.getString("name")
                    + " "
                    + condition.getString("type")
                    + "="
                    + condition.getString("status")
                    + " "
                    + condition.getString("reason"));
          }
        }
        return out;
      }
    }
    return List.of();
  }

  private static final List<String> GOOD =
      List.of("default/web Accepted=True Accepted", "default/web ResolvedRefs=True ResolvedRefs");

  @Test
  void aValidPolicyVerifiesTheBackendAndSendsItsHostnameBySni() throws Exception {
    HttpProbe.Answer answer = client.get("abc.example.com", "/valid");
    assertEquals(200, answer.status());
    assertEquals("sni=abc.example.com path=/valid", answer.text());
    assertEquals(GOOD, conditions("valid"));
    assertEquals(200, client.get("abc.example.com", "/plain").status(), "no policy: plain HTTP");
  }

  @Test
  void aMismatchedHostnameOrCaIsAnHttpError() throws Exception {
    assertEquals(502, client.get("abc.example.com", "/host-mismatch").status());
    assertEquals(GOOD, conditions("host-mismatch"));
    assertEquals(502, client.get("abc.example.com", "/cert-mismatch").status());
    assertEquals(GOOD, conditions("cert-mismatch"));
  }

  @Test
  void subjectAltNamesAreCheckedInsteadOfTheHostname() throws Exception {
    HttpProbe.Answer answer = client.get("abc.example.com", "/san");
    assertEquals(200, answer.status());
    assertEquals("sni=other.example.com path=/san", answer.text(), "the hostname is still the SNI");
  }

  @Test
  void invalidReferencesFailTheConnectionsAndSayWhy() throws Exception {
    assertEquals(502, client.get("abc.example.com", "/invalid-ca").status());
    assertEquals(
        List.of(
            "default/web Accepted=False NoValidCACertificate",
            "default/web ResolvedRefs=False InvalidCACertificateRef"),
        conditions("invalid-ca"));
    assertEquals(502, client.get("abc.example.com", "/invalid-kind").status());
    assertEquals(
        List.of(
            "default/web Accepted=False NoValidCACertificate",
            "default/web ResolvedRefs=False InvalidKind"),
        conditions("invalid-kind"));
  }

  @Test
  void theOlderOfTwoPoliciesOfOneTargetWins() throws Exception {
    assertEquals(200, client.get("abc.example.com", "/conflict").status());
    assertEquals(GOOD, conditions("conflict-1"));
    assertEquals(
        List.of(
            "default/web Accepted=False Conflicted", "default/web ResolvedRefs=True ResolvedRefs"),
        conditions("conflict-2"));
  }

  @Test
  void aConfigMapThatAppearsLaterIsReconciled() throws Exception {
    assertEquals(502, client.get("abc.example.com", "/later").status());
    Path temporary = folder.resolve(".later.yaml.tmp");
    Files.writeString(
        temporary,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: later-ca, namespace: default}
        data:
          ca.crt: |
        %s
        """
            .formatted(Pem.certificates(CA.chain()).indent(4).stripTrailing()));
    Files.move(temporary, folder.resolve("later.yaml"), StandardCopyOption.ATOMIC_MOVE);
    Await.until(
        "the ConfigMap read",
        CHANGE,
        () -> client.get("abc.example.com", "/later").status() == 200);
    assertEquals(GOOD, conditions("later"));
  }
}
