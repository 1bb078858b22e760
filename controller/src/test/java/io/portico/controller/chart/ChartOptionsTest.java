package io.portico.controller.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each value changes what it says, and only that. */
class ChartOptionsTest {

  @Test
  void defaultIngressClassCarriesTheDefaultClassAnnotation() {
    RenderedChart chart =
        HelmChart.render(
            """
            controller:
              ingressClassResource:
                default: true
            """);
    IngressClass ingressClass = chart.get(IngressClass.class, "portico");
    assertEquals(
        Map.of("ingressclass.kubernetes.io/is-default-class", "true"),
        ingressClass.getMetadata().getAnnotations());
  }

  @Test
  void ingressClassResourceCanBeRenamedOrLeftOut() {
    RenderedChart renamed =
        HelmChart.render(
            """
            controller:
              ingressClass: edge
              ingressClassResource:
                name: edge
            """);
    assertEquals(
        "portico.io/ingress-controller",
        renamed.get(IngressClass.class, "edge").getSpec().getController());
    assertTrue(renamed.args().contains("--ingress-class=edge"));

    RenderedChart without =
        HelmChart.render(
            """
            controller:
              ingressClassResource:
                enabled: false
            """);
    assertEquals(List.of(), without.all(IngressClass.class));
  }

  @Test
  void gatewayApiBringsItsClassFlagsAndPorts() {
    RenderedChart off = HelmChart.render();
    assertEquals(List.of(), off.all(GatewayClass.class));
    assertTrue(off.args().contains("--gateway-api=false"));

    RenderedChart on =
        HelmChart.render(
            """
            controller:
              gatewayApi:
                enabled: true
                gatewayClass: {name: edge}
                listenerPorts: [8000=9000, team/web:80=9080]
            """);
    assertEquals(
        "portico.io/gateway-controller",
        on.get(GatewayClass.class, "edge").getSpec().getControllerName());
    assertTrue(on.args().contains("--gateway-api=true"));
    assertTrue(on.args().contains("--gateway-listener-ports=8000=9000,team/web:80=9080"));
    assertEquals(
        List.of("http 8080", "https 8443", "admin 10254", "gw-9000 9000", "gw-9080 9080"),
        on.container().getPorts().stream()
            .map(p -> p.getName() + " " + p.getContainerPort())
            .toList());
    // Every Gateway's port 8000 is the Service's 8000; one Gateway's own socket keeps its number.
    assertEquals(
        List.of("http 80 http", "https 443 https", "gw-9000 8000 gw-9000", "gw-9080 9080 gw-9080"),
        on.get(Service.class, "portico").getSpec().getPorts().stream()
            .map(p -> p.getName() + " " + p.getPort() + " " + p.getTargetPort().getStrVal())
            .toList());

    RenderedChart noClass =
        HelmChart.render(
            "controller: {gatewayApi: {enabled: true, gatewayClass: {create: false}}}");
    assertEquals(List.of(), noClass.all(GatewayClass.class));
  }

  @Test
  void snippetAnnotationsArePassedOn() {
    assertTrue(HelmChart.render().args().contains("--snippet-annotations=refuse"));
    RenderedChart ignore = HelmChart.render("controller: {snippetAnnotations: ignore}");
    assertTrue(ignore.args().contains("--snippet-annotations=ignore"));
    assertFalse(ignore.args().contains("--snippet-annotations=refuse"));
  }

  @Test
  void podDisruptionBudgetOnlyWithMoreThanOneReplica() {
    assertEquals(List.of(), HelmChart.render().all(PodDisruptionBudget.class));

    RenderedChart two = HelmChart.render("controller: {replicaCount: 2}");
    assertEquals(2, two.deployment().getSpec().getReplicas());
    PodDisruptionBudget budget = two.get(PodDisruptionBudget.class, "portico");
    assertEquals(new IntOrString(1), budget.getSpec().getMinAvailable());
    assertNull(budget.getSpec().getMaxUnavailable());
    assertEquals(
        two.deployment().getSpec().getSelector().getMatchLabels(),
        budget.getSpec().getSelector().getMatchLabels());

    RenderedChart percent =
        HelmChart.render(
            """
            controller:
              replicaCount: 3
              podDisruptionBudget:
                maxUnavailable: 34%
            """);
    PodDisruptionBudget byPercent = percent.get(PodDisruptionBudget.class, "portico");
    assertEquals(new IntOrString("34%"), byPercent.getSpec().getMaxUnavailable());
    assertNull(byPercent.getSpec().getMinAvailable());

    RenderedChart disabled =
        HelmChart.render(
            """
            controller:
              replicaCount: 2
              podDisruptionBudget:
                enabled: false
            """);
    assertEquals(List.of(), disabled.all(PodDisruptionBudget.class));
  }

  @Test
  void extraArgsBecomeFlagsAfterTheChartsOwn() {
    RenderedChart chart =
        HelmChart.render(
            """
            controller:
              extraArgs:
                access-log: json
                upstream-read-timeout: 120s
                https-redirect-port: 443
            """);
    List<String> args = chart.args();
    assertEquals(
        List.of("--access-log=json", "--https-redirect-port=443", "--upstream-read-timeout=120s"),
        args.subList(args.size() - 3, args.size()));
  }

  @Test
  void edgeValuesBecomeFlags() {
    RenderedChart chart =
        HelmChart.render(
            """
            controller:
              edge:
                clientHeaderTimeout: 10s
                clientBodyTimeout: 2m
                maxConnections: 20000
                allowExternalNameServices: false
                allowEncodedSlashes: true
                h2cPriorKnowledge: true
            """);
    List<String> args = chart.args();
    for (String flag :
        List.of(
            "--client-header-timeout=10s",
            "--client-body-timeout=2m",
            "--max-connections=20000",
            "--allow-external-name-services=false",
            "--allow-encoded-slashes=true",
            "--h2c-prior-knowledge=true")) {
      assertTrue(args.contains(flag), () -> flag + " missing from " + args);
    }
  }

  @Test
  void extraArgsMayNotRepeatAFlagTheChartSets() {
    String error =
        HelmChart.renderError(
            """
            controller:
              extraArgs:
                http-port: 9090
            """);
    assertTrue(
        error.contains("controller.extraArgs.http-port: --http-port is set by the chart"), error);
  }

  @Test
  void flagsFollowTheirValues() {
    RenderedChart chart =
        HelmChart.render(
            """
            controller:
              watchIngressWithoutClass: true
              endpointsApi: endpoints
              electionID: edge-leader
              defaultBackendService: web/fallback
              defaultTLSSecret: certs/wildcard
              shutdownDelay: 10s
              drainTimeout: 45s
              bindAddress: "::"
              containerPort:
                http: 8000
                https: 8001
                admin: 9000
              publishService:
                pathOverride: edge/public-lb
            """);
    List<String> args = chart.args();
    for (String flag :
        List.of(
            "--watch-ingress-without-class",
            "--endpoints-api=endpoints",
            "--election-id=edge-leader",
            "--default-backend=web/fallback",
            "--default-tls-secret=certs/wildcard",
            "--shutdown-delay=10s",
            "--drain-timeout=45s",
            "--bind=::",
            "--http-port=8000",
            "--https-port=8001",
            "--admin-port=9000",
            "--publish-service=edge/public-lb")) {
      assertTrue(args.contains(flag), () -> flag + " missing from " + args);
    }
    // The probes and the Service refer to these ports by name, so they follow.
    assertEquals(
        List.of(8000, 8001, 9000),
        chart.container().getPorts().stream().map(p -> p.getContainerPort()).toList());
  }

  @Test
  void publishServiceCanBeTurnedOff() {
    RenderedChart chart = HelmChart.render("controller: {publishService: {enabled: false}}");
    assertTrue(chart.args().stream().noneMatch(a -> a.startsWith("--publish-service")));
  }

  @Test
  void extraEnvsFollowThePodEnvironment() {
    RenderedChart chart =
        HelmChart.render(
            """
            controller:
              extraEnvs:
                - name: TZ
                  value: Europe/Paris
            """);
    List<EnvVar> env = chart.container().getEnv();
    assertEquals(
        List.of("POD_NAME", "POD_NAMESPACE", "JDK_JAVA_OPTIONS", "TZ"),
        env.stream().map(EnvVar::getName).toList());
    assertEquals("Europe/Paris", env.get(3).getValue());
  }

  @Test
  void theJvmRunsTheImagesCollectorUnlessJvmOptionsSayOtherwise() {
    EnvVar byDefault =
        HelmChart.render().container().getEnv().stream()
            .filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
            .findFirst()
            .orElseThrow();
    assertEquals("-XX:+UseSerialGC", byDefault.getValue());

    EnvVar chosen =
        HelmChart.render("controller: {jvmOptions: \"-XX:+UseParallelGC -Xss512k\"}")
            .container()
            .getEnv()
            .stream()
            .filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
            .findFirst()
            .orElseThrow();
    assertEquals("-XX:+UseParallelGC -Xss512k", chosen.getValue());

    // Empty: no variable at all, and the JVM chooses by itself.
    assertTrue(
        HelmChart.render("controller: {jvmOptions: \"\"}").container().getEnv().stream()
            .noneMatch(e -> e.getName().equals("JDK_JAVA_OPTIONS")));
  }

  @Test
  void jvmOptionsCannotBeSetThroughExtraEnvs() {
    // Two JDK_JAVA_OPTIONS would leave one of them silently unused.
    String error =
        HelmChart.renderError(
            "controller: {extraEnvs: [{name: JDK_JAVA_OPTIONS, value: -XX:+UseG1GC}]}");
    assertTrue(
        error.contains(
            "controller.extraEnvs: JDK_JAVA_OPTIONS is set by the chart from controller.jvmOptions"),
        error);
  }

  @Test
  void podPlacementAndMetadataPassThrough() {
    RenderedChart chart =
        HelmChart.render(
            """
            controller:
              podAnnotations:
                example.com/team: edge
              podLabels:
                tier: ingress
              nodeSelector:
                pool: edge
              priorityClassName: system-cluster-critical
              tolerations:
                - key: dedicated
                  operator: Equal
                  value: edge
                  effect: NoSchedule
              affinity:
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 100
                      podAffinityTerm:
                        topologyKey: kubernetes.io/hostname
                        labelSelector:
                          matchLabels:
                            app.kubernetes.io/name: portico
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: ScheduleAnyway
                - maxSkew: 1
                  topologyKey: kubernetes.io/hostname
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector:
                    matchLabels:
                      custom: selector
            imagePullSecrets:
              - name: regcred
            """);
    var template = chart.deployment().getSpec().getTemplate();
    assertEquals("edge", template.getMetadata().getAnnotations().get("example.com/team"));
    assertEquals("ingress", template.getMetadata().getLabels().get("tier"));
    var pod = chart.podSpec();
    // Helm merges maps with the defaults: the linux selector stays unless set to null.
    assertEquals(Map.of("kubernetes.io/os", "linux", "pool", "edge"), pod.getNodeSelector());
    assertEquals("system-cluster-critical", pod.getPriorityClassName());
    assertEquals("dedicated", pod.getTolerations().get(0).getKey());
    assertEquals(
        "kubernetes.io/hostname",
        pod.getAffinity()
            .getPodAntiAffinity()
            .getPreferredDuringSchedulingIgnoredDuringExecution()
            .get(0)
            .getPodAffinityTerm()
            .getTopologyKey());
    assertEquals("regcred", pod.getImagePullSecrets().get(0).getName());

    List<TopologySpreadConstraint> spread = pod.getTopologySpreadConstraints();
    // A constraint without a selector counts no pods; the chart gives it the pods' labels.
    LabelSelector added = spread.get(0).getLabelSelector();
    assertEquals(
        chart.deployment().getSpec().getSelector().getMatchLabels(), added.getMatchLabels());
    assertEquals(Map.of("custom", "selector"), spread.get(1).getLabelSelector().getMatchLabels());
  }

  @Test
  void serviceSettings() {
    RenderedChart chart =
        HelmChart.render(
            """
            controller:
              service:
                externalTrafficPolicy: Local
                annotations:
                  service.beta.kubernetes.io/aws-load-balancer-type: nlb
                loadBalancerSourceRanges: [203.0.113.0/24]
                ports: {http: 8081, https: 8444}
                nodePorts: {http: 31080, https: 31443}
            """);
    var spec = chart.get(Service.class, "portico").getSpec();
    assertEquals("Local", spec.getExternalTrafficPolicy());
    assertEquals(List.of("203.0.113.0/24"), spec.getLoadBalancerSourceRanges());
    assertEquals(List.of(8081, 8444), spec.getPorts().stream().map(p -> p.getPort()).toList());
    assertEquals(
        List.of(31080, 31443), spec.getPorts().stream().map(p -> p.getNodePort()).toList());
    assertEquals(
        "nlb",
        chart
            .get(Service.class, "portico")
            .getMetadata()
            .getAnnotations()
            .get("service.beta.kubernetes.io/aws-load-balancer-type"));
  }

  @Test
  void clusterIpServiceLeavesOutWhatTheApiServerWouldReject() {
    RenderedChart chart =
        HelmChart.render(
            """
            controller:
              service:
                type: ClusterIP
                nodePorts: {http: 30080}
                loadBalancerSourceRanges: [10.0.0.0/8]
            """);
    var spec = chart.get(Service.class, "portico").getSpec();
    assertEquals("ClusterIP", spec.getType());
    assertNull(spec.getExternalTrafficPolicy());
    assertEquals(List.of(), spec.getLoadBalancerSourceRanges());
    assertTrue(spec.getPorts().stream().allMatch(p -> p.getNodePort() == null));
  }

  @Test
  void existingAffinityKeySecretIsMountedAndNoneCreated() {
    RenderedChart chart = HelmChart.render("controller: {affinityKey: {existingSecret: my-key}}");
    assertEquals(List.of(), chart.all(Secret.class));
    assertEquals("my-key", volume(chart, "affinity-key").getSecret().getSecretName());
    assertTrue(chart.args().contains("--affinity-key-file=/etc/portico/affinity-key/affinity-key"));
  }

  @Test
  void withoutAnAffinityKeyNoFlagNoVolume() {
    RenderedChart chart = HelmChart.render("controller: {affinityKey: {create: false}}");
    assertEquals(List.of(), chart.all(Secret.class));
    assertTrue(chart.args().stream().noneMatch(a -> a.startsWith("--affinity-key-file")));
    assertTrue(
        chart.podSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("affinity-key")));
  }

  @Test
  void metricsServiceAndServiceMonitor() {
    RenderedChart chart =
        HelmChart.render(
            """
            controller:
              metrics:
                enabled: true
                serviceMonitor:
                  enabled: true
                  additionalLabels: {release: prometheus}
                  scrapeInterval: 15s
            """);
    Service metrics = chart.get(Service.class, "portico-metrics");
    assertEquals("ClusterIP", metrics.getSpec().getType());
    assertEquals(10254, metrics.getSpec().getPorts().get(0).getPort());
    assertEquals(new IntOrString("admin"), metrics.getSpec().getPorts().get(0).getTargetPort());

    // fabric8 has no ServiceMonitor type: it stays generic.
    GenericKubernetesResource monitor = chart.get(GenericKubernetesResource.class, "portico");
    assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
    assertEquals("prometheus", monitor.getMetadata().getLabels().get("release"));
    Map<String, Object> selector = monitor.get("spec", "selector", "matchLabels");
    // It selects the metrics Service only, never the public one.
    assertTrue(metrics.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()));
    Map<String, String> publicLabels =
        chart.get(Service.class, "portico").getMetadata().getLabels();
    assertFalse(publicLabels.entrySet().containsAll(selector.entrySet()), selector.toString());
    assertEquals("15s", monitor.get("spec", "endpoints", 0, "interval"));
    assertEquals("metrics", monitor.get("spec", "endpoints", 0, "port"));
  }

  @Test
  void serviceMonitorNeedsTheMetricsService() {
    String error =
        HelmChart.renderError("controller: {metrics: {serviceMonitor: {enabled: true}}}");
    assertTrue(error.contains("controller.metrics.serviceMonitor.enabled needs"), error);
  }

  @Test
  void serviceAccountAndRbacCanBeBroughtByTheUser() {
    RenderedChart chart =
        HelmChart.render(
            """
            serviceAccount:
              create: false
              name: platform-ingress
            rbac:
              create: false
            """);
    assertEquals("platform-ingress", chart.podSpec().getServiceAccountName());
    assertEquals(List.of(), chart.all(ServiceAccount.class));
    List<String> rbacKinds = List.of("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
    assertEquals(
        List.of(),
        chart.objects().stream().map(HasMetadata::getKind).filter(rbacKinds::contains).toList());
  }

  @Test
  void namesFollowFullnameOverride() {
    RenderedChart chart = HelmChart.render("fullnameOverride: edge");
    assertEquals("edge", chart.get(Service.class, "edge").getMetadata().getName());
    assertTrue(chart.args().contains("--publish-service=portico/edge"));
    assertEquals("edge", chart.podSpec().getServiceAccountName());
  }

  private static Volume volume(RenderedChart chart, String name) {
    return chart.podSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }
}
