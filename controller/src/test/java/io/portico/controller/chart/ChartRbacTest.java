package io.portico.controller.chart;

import static io.portico.controller.chart.ApiCall.namespaced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shape of the chart's RBAC rules: no writes to Secrets, nothing on pods, nodes or ConfigMaps
 * but the controller's own, no wildcards, the Lease limited to its name and namespace, namespaced
 * Roles when asked. That the rules allow exactly the calls the controller makes is {@link
 * ControllerRbacTest}, which records those calls against the mock API server.
 */
class ChartRbacTest {
  private static final String APP = "default";
  private static final String RELEASE_NS = HelmChart.NAMESPACE;

  private final RenderedChart chart = HelmChart.render();
  private final RenderedRbac rbac = RenderedRbac.forController(chart);

  @Test
  void neverWritesSecretsOrConfigMapsNorReadsPodsNodesOrNamespaces() {
    for (String verb : List.of("create", "update", "patch", "delete", "deletecollection")) {
      assertFalse(rbac.allows(verb, "", "secrets", APP), verb + " secrets");
      assertFalse(rbac.allows(verb, "", "configmaps", APP), verb + " configmaps");
    }
    for (String resource : List.of("pods", "nodes", "namespaces", "endpoints")) {
      assertFalse(rbac.allows("list", "", resource, null), "list " + resource);
      assertFalse(rbac.allows("get", "", resource, APP), "get " + resource);
    }
    assertFalse(rbac.allows("get", "", "configmaps", APP), "get configmaps");
    assertTrue(
        rbac.grants().stream()
            .noneMatch(
                g -> g.verb().equals("*") || g.resource().equals("*") || g.group().equals("*")),
        "no wildcards");
  }

  @Test
  void configMapsAreReadInTheWatchedNamespacesAndTheControllerConfigMapByNameOutsideThem() {
    // add-headers and custom-headers name ConfigMaps at run time: those of the watched namespaces.
    assertTrue(rbac.allows("watch", "", "configmaps", null));
    assertTrue(rbac.allows("list", "", "configmaps", null));
    RenderedRbac namespaced =
        RenderedRbac.forController(
            HelmChart.render(
                "controller: {watchNamespaces: [" + APP + "], publishService: {enabled: false}}"));
    assertTrue(namespaced.allows(namespaced("watch", "", "configmaps", APP)));
    assertFalse(namespaced.allows(namespaced("watch", "", "configmaps", "elsewhere")));
    ApiCall watch = namespaced("watch", "", "configmaps", RELEASE_NS).named("portico-config");
    assertTrue(namespaced.allows(watch));
    assertTrue(
        namespaced.allows(
            namespaced("list", "", "configmaps", RELEASE_NS).named("portico-config")));
    assertFalse(namespaced.allows(watch.named("kube-root-ca.crt")));
    assertFalse(namespaced.allows(namespaced("watch", "", "configmaps", RELEASE_NS)));
    assertFalse(
        namespaced.allows(namespaced("get", "", "configmaps", RELEASE_NS).named("portico-config")));
    RenderedRbac renamed =
        RenderedRbac.forController(
            HelmChart.render(
                "fullnameOverride: edge\ncontroller: {watchNamespaces: ["
                    + APP
                    + "], publishService: {enabled: false}}"));
    assertTrue(
        renamed.allows(namespaced("watch", "", "configmaps", RELEASE_NS).named("edge-config")));
  }

  @Test
  void leaseAccessIsLimitedToTheElectionLeaseInTheReleaseNamespace() {
    ApiCall renew =
        namespaced("patch", "coordination.k8s.io", "leases", RELEASE_NS).named("portico-leader");
    assertTrue(rbac.allows(renew));
    assertFalse(rbac.allows(renew.named("someone-elses-lease")));
    assertFalse(
        rbac.allows(
            namespaced("patch", "coordination.k8s.io", "leases", APP).named("portico-leader")));
    // fabric8's LeaseLock patches; a plain update would be a grant nobody uses.
    assertFalse(
        rbac.allows(
            namespaced("update", "coordination.k8s.io", "leases", RELEASE_NS)
                .named("portico-leader")));
  }

  @Test
  void leaseRulesFollowTheElectionId() {
    RenderedRbac renamed =
        RenderedRbac.forController(HelmChart.render("controller: {electionID: edge}"));
    assertTrue(
        renamed.allows(
            namespaced("get", "coordination.k8s.io", "leases", RELEASE_NS).named("edge")));
    assertFalse(
        renamed.allows(
            namespaced("get", "coordination.k8s.io", "leases", RELEASE_NS)
                .named("portico-leader")));
  }

  @Test
  void endpointsApiSwapsEndpointSlicesForEndpoints() {
    RenderedRbac endpoints =
        RenderedRbac.forController(HelmChart.render("controller: {endpointsApi: endpoints}"));
    assertTrue(endpoints.allows("watch", "", "endpoints", null));
    assertFalse(endpoints.allows("watch", "discovery.k8s.io", "endpointslices", null));
    assertFalse(rbac.allows("watch", "", "endpoints", null));
  }

  @Test
  void namespacedRolesCarryTheClusterRolesRulesButIngressClasses() {
    List<PolicyRule> clusterRules = chart.get(ClusterRole.class, "portico").getRules();
    RenderedChart namespacedChart = HelmChart.render("controller: {watchNamespaces: [portico]}");
    List<PolicyRule> roleRules = namespacedChart.get(Role.class, RELEASE_NS, "portico").getRules();
    List<PolicyRule> expected = new ArrayList<>(clusterRules);
    expected.removeIf(rule -> rule.getResources().contains("ingressclasses"));
    assertEquals(expected, roleRules);
  }

  @Test
  void bindingsGrantTheControllersServiceAccountOnly() {
    assertEquals(List.of(), RenderedRbac.forServiceAccount(chart, RELEASE_NS, "default").grants());
    assertEquals(List.of(), RenderedRbac.forServiceAccount(chart, APP, "portico").grants());
  }
}
