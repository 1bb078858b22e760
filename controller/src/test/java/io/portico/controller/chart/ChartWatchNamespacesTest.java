package io.portico.controller.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ci/watch-namespaces-values.yaml: Portico limited to the namespaces portico, team-a, team-b. */
class ChartWatchNamespacesTest {
  private final RenderedChart chart =
      HelmChart.renderFiles(HelmChart.file("ci/watch-namespaces-values.yaml"));
  private final RenderedRbac rbac = RenderedRbac.forController(chart);

  @Test
  void watchesEachNamespace() {
    List<String> watched =
        chart.args().stream().filter(a -> a.startsWith("--watch-namespace=")).toList();
    assertEquals(
        List.of(
            "--watch-namespace=portico", "--watch-namespace=team-a", "--watch-namespace=team-b"),
        watched);
  }

  @Test
  void clusterRoleKeepsOnlyIngressClasses() {
    List<PolicyRule> rules = chart.get(ClusterRole.class, "portico").getRules();
    assertEquals(1, rules.size(), rules.toString());
    assertEquals(List.of("ingressclasses"), rules.get(0).getResources());
    assertEquals(List.of("list", "watch"), rules.get(0).getVerbs());
  }

  @Test
  void oneRolePerWatchedNamespaceWithTheSameRules() {
    List<Role> roles =
        chart.all(Role.class).stream()
            .filter(r -> r.getMetadata().getName().equals("portico"))
            .toList();
    assertEquals(
        List.of("portico", "team-a", "team-b"),
        roles.stream().map(r -> r.getMetadata().getNamespace()).toList());
    assertEquals(1, roles.stream().map(Role::getRules).distinct().count(), "same rules everywhere");
  }

  @Test
  void readsOnlyInsideTheWatchedNamespaces() {
    assertTrue(rbac.allows("list", "networking.k8s.io", "ingresses", "team-a"));
    assertTrue(rbac.allows("watch", "", "secrets", "team-b"));
    assertFalse(rbac.allows("list", "networking.k8s.io", "ingresses", "team-c"));
    assertFalse(rbac.allows("watch", "", "secrets", "kube-system"));
    // No list across all namespaces: Portico must start one informer per namespace.
    assertFalse(rbac.allows("list", "networking.k8s.io", "ingresses", null));
    // IngressClasses are cluster-scoped and still readable.
    assertTrue(rbac.allows("watch", "networking.k8s.io", "ingressclasses", null));
  }

  @Test
  void refusesAReferenceOutsideTheWatchedNamespaces() {
    String error =
        HelmChart.renderError(
            """
            controller:
              watchNamespaces: [team-a]
              publishService: {enabled: false}
              defaultTLSSecret: certs/wildcard
            """);
    assertTrue(
        error.contains(
            "controller.defaultTLSSecret: certs/wildcard is in namespace \"certs\", which is not in"
                + " controller.watchNamespaces [team-a]"),
        error);
  }

  @Test
  void thePublishedServiceCountsAsAReferenceToo() {
    String error = HelmChart.renderError("controller: {watchNamespaces: [team-a]}");
    assertTrue(error.contains("controller.publishService: portico/portico is in namespace"), error);
  }
}
