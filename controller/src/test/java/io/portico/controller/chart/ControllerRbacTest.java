package io.portico.controller.chart;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.source.KubernetesSource;
import io.portico.controller.status.ClusterReporter;
import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.GatewayApiCrds;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.TestVertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart's RBAC against what the controller really does: a controller runs against the mock API
 * server through everything it calls the API for (informers, leader election, status, events), the
 * mock's request log is read back, and the rules the chart renders must allow every call and grant
 * nothing no call needs.
 */
@EnableKubernetesMockClient(crud = true)
class ControllerRbacTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();
  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void theChartAllowsExactlyTheCallsTheControllerMakes() throws Exception {
    assertExactCoverage("endpointslices", KubernetesSource.EndpointsApi.ENDPOINTSLICES);
  }

  @Test
  void withTheEndpointsApiToo() throws Exception {
    assertExactCoverage("endpoints", KubernetesSource.EndpointsApi.ENDPOINTS);
  }

  @Test
  void withTheGatewayApi() throws Exception {
    assertExactCoverage(
        "endpointslices\n  gatewayApi: {enabled: true}",
        KubernetesSource.EndpointsApi.ENDPOINTSLICES);
  }

  private void assertExactCoverage(String chartValue, KubernetesSource.EndpointsApi api)
      throws Exception {
    RenderedChart chart = HelmChart.render("controller:\n  endpointsApi: " + chartValue + "\n");
    RenderedRbac rbac = RenderedRbac.forController(chart);
    String releaseNamespace = HelmChart.NAMESPACE;
    List<String> args =
        chart.deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    String publishService =
        args.stream()
            .filter(a -> a.startsWith("--publish-service="))
            .findFirst()
            .orElseThrow()
            .substring("--publish-service=".length());
    boolean gatewayApi = args.contains("--gateway-api=true");
    String electionId =
        args.stream()
            .filter(a -> a.startsWith("--election-id="))
            .findFirst()
            .orElseThrow()
            .substring("--election-id=".length());
    ObjectKey configMap =
        ObjectKey.parse(
            args.stream()
                .filter(a -> a.startsWith("--configmap="))
                .findFirst()
                .orElseThrow()
                .substring("--configmap=".length()));

    KubernetesClient test =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(client.getConfiguration())
                    .withUserAgent(RecordedApiCalls.TEST_USER_AGENT)
                    .build())
            .build();
    EchoBackend backend = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    ClusterHarness.apply(test, Manifests.service("app-svc", backend.port()));
    ClusterHarness.apply(test, Manifests.ingress("app", "app.test", "/", "app-svc"));
    ClusterHarness.apply(test, Manifests.ingress("broken", "broken.test", "/", "ghost"));
    ObjectKey published = ObjectKey.parse(publishService);
    ClusterHarness.apply(
        test,
        """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec: {type: LoadBalancer, ports: [{name: http, port: 80}]}
        status: {loadBalancer: {ingress: [{ip: 203.0.113.7}]}}
        """
            .formatted(published.name(), published.namespace()));
    ClusterHarness.apply(
        test,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: %s}
        data: {hsts-max-age: "600"}
        """
            .formatted(configMap.name(), configMap.namespace()));
    if (gatewayApi) {
      GatewayApiCrds.install(test);
      ClusterHarness.apply(test, GATEWAY_API_OBJECTS);
    }
    assertEquals(List.of(), RecordedApiCalls.drain(server), "only the test has called so far");

    List<ApiCall> calls = new ArrayList<>();
    try (Controller controller =
        Controller.start(
            ControllerSettings.builder(
                    new SourceSettings.Cluster(
                        client.getConfiguration(),
                        new KubernetesSource.Settings(List.of(), api, Duration.ofSeconds(20))
                            .withGatewayApi(gatewayApi),
                        new ClusterReporter.Settings(
                            releaseNamespace,
                            electionId,
                            "portico-0",
                            Optional.of(published),
                            List.of(),
                            true,
                            Duration.ofSeconds(2),
                            Duration.ofMillis(1500),
                            Duration.ofMillis(200))))
                .translator(TranslatorSettings.defaults().withConfigMap(configMap))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build())) {
      Await.until("the status write", Duration.ofSeconds(15), () -> hasStatus(test, "app"));
      Await.until("the warning event", Duration.ofSeconds(15), () -> hasEvent(test, "broken"));
      if (gatewayApi) {
        Await.until(
            "the Gateway API status writes",
            Duration.ofSeconds(15),
            () -> gatewayApiStatusWritten(test));
      }
      // The chart grants the Lease's renewal: wait for one, which may come after the writes.
      Await.until(
          "a lease renewal",
          Duration.ofSeconds(15),
          () -> leaseRenewed(test, releaseNamespace, electionId));
      calls.addAll(RecordedApiCalls.drain(server));
    }
    test.close();
    List<ApiCall> controllerCalls = calls;
    Set<String> distinct = new LinkedHashSet<>();
    controllerCalls.forEach(call -> distinct.add(call.toString()));

    List<ApiCall> refused = controllerCalls.stream().filter(call -> !rbac.allows(call)).toList();
    assertEquals(List.of(), refused, () -> "refused calls; the chart grants:\n" + rbac);
    assertEquals(
        List.of(),
        rbac.unusedBy(controllerCalls),
        () -> "calls made:\n" + String.join("\n", distinct));
  }

  private static boolean hasStatus(KubernetesClient client, String ingress) {
    var current = client.network().v1().ingresses().inNamespace("default").withName(ingress).get();
    return current != null
        && current.getStatus() != null
        && current.getStatus().getLoadBalancer() != null
        && current.getStatus().getLoadBalancer().getIngress() != null
        && !current.getStatus().getLoadBalancer().getIngress().isEmpty();
  }

  /**
   * A GatewayClass, a Gateway, an HTTPRoute and a GRPCRoute on it, a ReferenceGrant, and a
   * BackendTLSPolicy for their backend.
   */
  private static final String GATEWAY_API_OBJECTS =
      Manifests.webGateway()
          + """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: web, namespace: default}
      spec:
        parentRefs: [{name: web}]
        rules: [{backendRefs: [{name: app-svc, port: 80}]}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: GRPCRoute
      metadata: {name: grpc, namespace: default}
      spec:
        parentRefs: [{name: web}]
        hostnames: [grpc.test]
        rules: [{backendRefs: [{name: app-svc, port: 80}]}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: ReferenceGrant
      metadata: {name: from-other, namespace: default}
      spec:
        from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: other}]
        to: [{group: "", kind: Service}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: BackendTLSPolicy
      metadata: {name: app-tls, namespace: default}
      spec:
        targetRefs: [{group: "", kind: Service, name: app-svc}]
        validation:
          caCertificateRefs: [{group: "", kind: ConfigMap, name: app-ca}]
          hostname: app.test
      """;

  private static boolean gatewayApiStatusWritten(KubernetesClient client) {
    var gatewayClass = client.resources(GatewayClass.class).withName("portico").get();
    var gateway = client.resources(Gateway.class).inNamespace("default").withName("web").get();
    var route = client.resources(HTTPRoute.class).inNamespace("default").withName("web").get();
    var grpc = client.resources(GRPCRoute.class).inNamespace("default").withName("grpc").get();
    var policy =
        client.resources(BackendTLSPolicy.class).inNamespace("default").withName("app-tls").get();
    return gatewayClass.getStatus() != null
        && policy.getStatus() != null
        && !policy.getStatus().getAncestors().isEmpty()
        && !gatewayClass.getStatus().getConditions().isEmpty()
        && gateway.getStatus() != null
        && !gateway.getStatus().getListeners().isEmpty()
        && route.getStatus() != null
        && !route.getStatus().getParents().isEmpty()
        && grpc.getStatus() != null
        && !grpc.getStatus().getParents().isEmpty();
  }

  private static boolean leaseRenewed(KubernetesClient client, String namespace, String name) {
    var lease = client.leases().inNamespace(namespace).withName(name).get();
    return lease != null
        && lease.getSpec() != null
        && lease.getSpec().getRenewTime() != null
        && !lease.getSpec().getRenewTime().equals(lease.getSpec().getAcquireTime());
  }

  private static boolean hasEvent(KubernetesClient client, String ingress) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .anyMatch(
            e -> ingress.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType()));
  }
}
