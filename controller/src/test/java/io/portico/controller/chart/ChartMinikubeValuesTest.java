package io.portico.controller.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ci/minikube-values.yaml, the values of the README's minikube walkthrough. */
class ChartMinikubeValuesTest {
  private final RenderedChart chart =
      HelmChart.renderFiles(HelmChart.file("ci/minikube-values.yaml"));

  @Test
  void serviceIsANodePortOn30080And30443() {
    var spec = chart.get(Service.class, "portico").getSpec();
    assertEquals("NodePort", spec.getType());
    assertEquals(
        List.of(30080, 30443), spec.getPorts().stream().map(ServicePort::getNodePort).toList());
    assertEquals(List.of(80, 443), spec.getPorts().stream().map(ServicePort::getPort).toList());
  }

  @Test
  void onlyTheServiceDiffersFromTheDefaults() {
    RenderedChart defaults = HelmChart.render();
    assertEquals(defaults.kindsAndNames(), chart.kindsAndNames());
    assertEquals(defaults.args(), chart.args());
  }

  @Test
  void notesTellHowToReachTheNodePort() throws Exception {
    String output =
        HelmChart.installOutput(Files.readString(HelmChart.file("ci/minikube-values.yaml")));
    assertTrue(output.contains("IP=$(minikube ip)"), output);
    assertTrue(
        output.contains(
            "kubectl -n portico get service portico -o"
                + " jsonpath='{.spec.ports[?(@.name==\"http\")].nodePort}'"),
        output);
    assertTrue(
        output.contains(
            "curl --resolve \"app.test:$HTTP_PORT:$IP\" \"http://app.test:$HTTP_PORT/\""),
        output);
  }

  @Test
  void notesForALoadBalancerPointAtTheTunnel() {
    String output = HelmChart.installOutput("{}");
    assertTrue(output.contains("minikube tunnel"), output);
    assertTrue(output.contains("HTTP_PORT=80; HTTPS_PORT=443"), output);
  }
}
