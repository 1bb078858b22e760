package io.portico.controller.chart;

import static io.portico.controller.chart.ApiCall.clusterWide;
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
 * The chart grants exactly the API calls Portico makes: each call is allowed, and no grant goes
 * unused.
 *
 * <p>{@link #CONTROLLER_CALLS} is written by hand from what the controller does. It is meant to be
 * replaced by the calls the controller tests record against the mock API server, so that the chart
 * and the code cannot drift apart.
 */
class ChartRbacTest {
  private static final String APP = "default";
  private static final String RELEASE_NS = HelmChart.NAMESPACE;

  static final List<ApiCall> CONTROLLER_CALLS =
      List.of(
          // Informers across all namespaces: a list, then a watch.
          clusterWide("list", "networking.k8s.io", "ingresses"),
          clusterWide("watch", "networking.k8s.io", "ingresses"),
          clusterWide("list", "networking.k8s.io", "ingressclasses"),
          clusterWide("watch", "networking.k8s.io", "ingressclasses"),
          clusterWide("list", "", "services"),
          clusterWide("watch", "", "services"),
          clusterWide("list", "discovery.k8s.io", "endpointslices"),
          clusterWide("watch", "discovery.k8s.io", "endpointslices"),
          clusterWide("list", "", "secrets"),
          clusterWide("watch", "", "secrets"),
          // Single reads: the published Service, the default certificate and backend.
          clusterWide("get", "networking.k8s.io", "ingressclasses").named("portico"),
          namespaced("get", "networking.k8s.io", "ingresses", APP).named("app"),
          namespaced("get", "", "services", RELEASE_NS).named("portico"),
          namespaced("get", "discovery.k8s.io", "endpointslices", APP).named("app1-x7k2p"),
          namespaced("get", "", "secrets", APP).named("app-tls"),
          // The leader writes Ingress status and reports problems as Events.
          namespaced("update", "networking.k8s.io", "ingresses/status", APP).named("app"),
          namespaced("create", "", "events", APP),
          namespaced("patch", "", "events", APP).named("app.17a3c1d2e5f4b6a7"),
          // Leader election (fabric8 LeaseLock): read, create when missing, renew by merge patch.
          namespaced("get", "coordination.k8s.io", "leases", RELEASE_NS).named("portico-leader"),
          namespaced("create", "coordination.k8s.io", "leases", RELEASE_NS),
          namespaced("patch", "coordination.k8s.io", "leases", RELEASE_NS).named("portico-leader"));

  private final RenderedChart chart = HelmChart.render();
  private final RenderedRbac rbac = RenderedRbac.forController(chart);

  @Test
  void allowsEveryCallThePorticoControllerMakes() {
    List<ApiCall> refused = CONTROLLER_CALLS.stream().filter(call -> !rbac.allows(call)).toList();
    assertEquals(List.of(), refused, () -> "refused calls; the chart grants:\n" + rbac);
  }

  @Test
  void grantsNothingThoseCallsDoNotNeed() {
    assertEquals(List.of(), rbac.unusedBy(CONTROLLER_CALLS));
  }

  @Test
  void neverWritesSecretsNorReadsPodsNodesOrConfigMaps() {
    for (String verb : List.of("create", "update", "patch", "delete", "deletecollection")) {
      assertFalse(rbac.allows(verb, "", "secrets", APP), verb + " secrets");
    }
    for (String resource : List.of("pods", "nodes", "configmaps", "namespaces", "endpoints")) {
      assertFalse(rbac.allows("list", "", resource, null), "list " + resource);
      assertFalse(rbac.allows("get", "", resource, APP), "get " + resource);
    }
    assertTrue(
        rbac.grants().stream()
            .noneMatch(
                g -> g.verb().equals("*") || g.resource().equals("*") || g.group().equals("*")),
        "no wildcards");
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
