package io.portico.controller.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code controller.config} becomes the data of the controller ConfigMap that {@code --configmap}
 * names, every value a string as the API requires, numbers written as the user wrote them.
 */
class ChartConfigMapTest {

  @Test
  void theConfigMapThatTheFlagNamesHoldsControllerConfig() {
    RenderedChart chart =
        HelmChart.render(
            """
            controller:
              config:
                ssl-redirect: false
                hsts-max-age: 31536000
                http-redirect-code: "301"
                proxy-http-version: 1.1
                custom-http-errors: 404,503
            """);
    assertTrue(
        chart.args().contains("--configmap=portico/portico-config"), chart.args().toString());
    ConfigMap configMap = chart.get(ConfigMap.class, HelmChart.NAMESPACE, "portico-config");
    assertEquals(
        Map.of(
            "ssl-redirect", "false",
            "hsts-max-age", "31536000",
            "http-redirect-code", "301",
            "proxy-http-version", "1.1",
            "custom-http-errors", "404,503"),
        configMap.getData());
  }

  @Test
  void withoutConfigTheConfigMapIsEmptyAndStillNamed() {
    RenderedChart chart = HelmChart.render();
    ConfigMap configMap = chart.get(ConfigMap.class, HelmChart.NAMESPACE, "portico-config");
    assertEquals(Map.of(), configMap.getData() == null ? Map.of() : configMap.getData());
    assertEquals(
        List.of("--configmap=portico/portico-config"),
        chart.args().stream().filter(a -> a.startsWith("--configmap")).toList());
  }

  @Test
  void theNameFollowsTheRelease() {
    RenderedChart chart = HelmChart.render("fullnameOverride: edge");
    chart.get(ConfigMap.class, HelmChart.NAMESPACE, "edge-config");
    assertTrue(chart.args().contains("--configmap=portico/edge-config"), chart.args().toString());
  }

  @Test
  void theFlagCannotBeSetThroughExtraArgs() {
    String error = HelmChart.renderError("controller: {extraArgs: {configmap: other/config}}");
    assertTrue(
        error.contains(
            "controller.extraArgs.configmap: --configmap is set by the chart from its own value"),
        error);
  }
}
