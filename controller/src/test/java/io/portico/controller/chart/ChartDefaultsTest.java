package io.portico.controller.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** `helm install portico charts/portico -n portico` with nothing set. */
class ChartDefaultsTest {
  private final RenderedChart chart = HelmChart.render();

  @Test
  void rendersExactlyTheseObjects() {
    // No PodDisruptionBudget (one replica), no metrics Service or ServiceMonitor, no per-namespace
    // Roles (the whole cluster is watched).
    assertEquals(
        List.of(
            "ClusterRole portico",
            "ClusterRoleBinding portico",
            "ConfigMap portico/portico-config",
            "Deployment portico/portico",
            "IngressClass portico",
            "Role portico/portico-leader-election",
            "RoleBinding portico/portico-leader-election",
            "Secret portico/portico-affinity-key",
            "Service portico/portico",
            "ServiceAccount portico/portico"),
        chart.kindsAndNames().stream().sorted().toList());
  }

  @Test
  void passesThePorticoRunFlags() {
    assertEquals(
        List.of(
            "run",
            "--http-port=8080",
            "--https-port=8443",
            "--admin-port=10254",
            "--bind=0.0.0.0",
            "--ingress-class=portico",
            "--endpoints-api=endpointslices",
            "--gateway-api=false",
            "--election-id=portico-leader",
            "--election-namespace=portico",
            "--publish-service=portico/portico",
            "--configmap=portico/portico-config",
            "--snippet-annotations=refuse",
            "--affinity-key-file=/etc/portico/affinity-key/affinity-key",
            "--shutdown-delay=5s",
            "--drain-timeout=30s",
            "--warm-up=3s",
            "--client-header-timeout=60s",
            "--client-body-timeout=60s",
            "--max-connections=0",
            "--allow-external-name-services=true",
            "--allow-encoded-slashes=false",
            "--h2c-prior-knowledge=false"),
        chart.args());
  }

  @Test
  void runsTheImageBuiltIntoMinikube() {
    Container container = chart.container();
    assertEquals("portico:dev", container.getImage());
    assertEquals("IfNotPresent", container.getImagePullPolicy());
    assertEquals(List.of(), container.getCommand(), "the image's entrypoint runs java -jar");
  }

  @Test
  void exposesTheThreePortsByName() {
    Map<String, Integer> ports =
        chart.container().getPorts().stream()
            .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
    assertEquals(Map.of("http", 8080, "https", 8443, "admin", 10254), ports);
  }

  @Test
  void probesHealthAndReadinessOnTheAdminPort() {
    Probe liveness = chart.container().getLivenessProbe();
    assertEquals("/healthz", liveness.getHttpGet().getPath());
    assertEquals(new IntOrString("admin"), liveness.getHttpGet().getPort());
    assertEquals(10, liveness.getInitialDelaySeconds());

    Probe readiness = chart.container().getReadinessProbe();
    assertEquals("/readyz", readiness.getHttpGet().getPath());
    assertEquals(new IntOrString("admin"), readiness.getHttpGet().getPort());
    assertEquals(5, readiness.getPeriodSeconds());
  }

  @Test
  void runsAsTheImagesNonRootUserWithNothingWritableButTmp() {
    PodSecurityContext pod = chart.podSpec().getSecurityContext();
    assertEquals(true, pod.getRunAsNonRoot());
    assertEquals(10001L, pod.getRunAsUser());
    assertEquals(10001L, pod.getRunAsGroup());
    assertEquals("RuntimeDefault", pod.getSeccompProfile().getType());

    SecurityContext container = chart.container().getSecurityContext();
    assertEquals(false, container.getAllowPrivilegeEscalation());
    assertEquals(true, container.getReadOnlyRootFilesystem());
    assertEquals(List.of("ALL"), container.getCapabilities().getDrop());
    assertEquals(List.of(), container.getCapabilities().getAdd());

    VolumeMount tmp = mount("tmp");
    assertEquals("/tmp", tmp.getMountPath());
    assertTrue(volume("tmp").getEmptyDir() != null, "tmp is an emptyDir");
  }

  @Test
  void stopsThroughPorticosOwnShutdownDelayNotAPreStopHook() {
    assertEquals(60L, chart.podSpec().getTerminationGracePeriodSeconds());
    assertNull(chart.container().getLifecycle());
    assertTrue(chart.args().contains("--shutdown-delay=5s"));
  }

  @Test
  void requestsResourcesAndLimitsMemoryForTheJvmHeap() {
    var resources = chart.container().getResources();
    assertEquals(new Quantity("100m"), resources.getRequests().get("cpu"));
    assertEquals(new Quantity("256Mi"), resources.getRequests().get("memory"));
    assertEquals(new Quantity("512Mi"), resources.getLimits().get("memory"));
  }

  @Test
  void tellsThePodItsNameAndNamespace() {
    Map<String, String> fieldRefs =
        chart.container().getEnv().stream()
            .filter(e -> e.getValueFrom() != null)
            .collect(
                Collectors.toMap(
                    EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
    assertEquals(
        Map.of("POD_NAME", "metadata.name", "POD_NAMESPACE", "metadata.namespace"), fieldRefs);
  }

  @Test
  void schedulesOnLinuxNodes() {
    assertEquals(Map.of("kubernetes.io/os", "linux"), chart.podSpec().getNodeSelector());
  }

  @Test
  void serviceIsALoadBalancerOnPorts80And443() {
    Service service = chart.get(Service.class, "portico");
    assertEquals("LoadBalancer", service.getSpec().getType());
    assertEquals("Cluster", service.getSpec().getExternalTrafficPolicy());
    List<ServicePort> ports = service.getSpec().getPorts();
    assertEquals(List.of("http", "https"), ports.stream().map(ServicePort::getName).toList());
    assertEquals(List.of(80, 443), ports.stream().map(ServicePort::getPort).toList());
    assertEquals(
        List.of(new IntOrString("http"), new IntOrString("https")),
        ports.stream().map(ServicePort::getTargetPort).toList());
    assertTrue(ports.stream().allMatch(p -> p.getNodePort() == null), "nodePorts left to k8s");
  }

  @Test
  void serviceAndDeploymentSelectTheControllerPods() {
    Deployment deployment = chart.deployment();
    Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), podLabels.toString());
    assertEquals(selector, chart.get(Service.class, "portico").getSpec().getSelector());
  }

  @Test
  void ingressClassNamesPorticoAndIsNotTheDefault() {
    IngressClass ingressClass = chart.get(IngressClass.class, "portico");
    assertEquals("portico.io/ingress-controller", ingressClass.getSpec().getController());
    Map<String, String> annotations = ingressClass.getMetadata().getAnnotations();
    assertTrue(
        annotations == null
            || !annotations.containsKey("ingressclass.kubernetes.io/is-default-class"),
        String.valueOf(annotations));
  }

  @Test
  void affinityKeyIs32RandomBytesMountedWhereTheFlagPoints() {
    byte[] key = affinityKey(chart);
    assertEquals(32, key.length);
    assertFalse(
        java.util.Arrays.equals(key, affinityKey(HelmChart.render())),
        "each install draws a new key");

    assertEquals("portico-affinity-key", volume("affinity-key").getSecret().getSecretName());
    VolumeMount mount = mount("affinity-key");
    assertEquals(true, mount.getReadOnly());
    // The Secret's entry appears as a file of the same name in the mounted directory.
    assertTrue(
        chart.args().contains("--affinity-key-file=" + mount.getMountPath() + "/affinity-key"));
  }

  @Test
  void everyObjectCarriesTheReleaseLabels() {
    for (var object : chart.objects()) {
      Map<String, String> labels = object.getMetadata().getLabels();
      assertEquals("portico", labels.get("app.kubernetes.io/instance"), object.getKind());
      assertEquals("Helm", labels.get("app.kubernetes.io/managed-by"), object.getKind());
    }
  }

  static byte[] affinityKey(RenderedChart chart) {
    Secret secret = chart.get(Secret.class, "portico-affinity-key");
    assertNotEquals(null, secret.getData(), "Secret data");
    return Base64.getDecoder().decode(secret.getData().get("affinity-key"));
  }

  private Volume volume(String name) {
    return chart.podSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private VolumeMount mount(String name) {
    return chart.container().getVolumeMounts().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume mount " + name));
  }
}
