package io.portico.controller.chart;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the rendered (Cluster)Roles and bindings let one ServiceAccount do, evaluated the way
 * Kubernetes' RBAC authorizer does: a ClusterRoleBinding grants its rules in every namespace and on
 * cluster-scoped resources; a RoleBinding grants its Role's (or ClusterRole's) rules in its own
 * namespace only; a rule with resourceNames applies only to requests that name one of those
 * objects.
 *
 * <p>It is the reference for the RBAC check: every call the controller makes must be {@link #allows
 * allowed}, and every {@link #grants() grant} must be used by some call ({@link #unusedBy}).
 */
public final class RenderedRbac {
  /**
   * One permission: a verb on a resource.
   *
   * @param namespace null when granted in every namespace and cluster-wide (a ClusterRoleBinding)
   * @param resourceName null when not limited to one object
   */
  public record Grant(
      String verb, String group, String resource, String namespace, String resourceName) {
    public boolean permits(ApiCall call) {
      return matches(verb, call.verb())
          && matches(group, call.group())
          && matches(resource, call.resource())
          && (namespace == null || namespace.equals(call.namespace()))
          && (resourceName == null || resourceName.equals(call.name()));
    }

    private static boolean matches(String granted, String requested) {
      return granted.equals("*") || granted.equals(requested);
    }

    @Override
    public String toString() {
      String target = (group.isEmpty() ? "" : group + "/") + resource;
      String where = namespace == null ? " (cluster-wide)" : " in " + namespace;
      return verb + " " + target + (resourceName == null ? "" : " " + resourceName) + where;
    }
  }

  private static final Comparator<String> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());
  private static final Comparator<Grant> ORDER =
      Comparator.comparing(Grant::namespace, NULLS_FIRST)
          .thenComparing(Grant::group)
          .thenComparing(Grant::resource)
          .thenComparing(Grant::verb)
          .thenComparing(Grant::resourceName, NULLS_FIRST);

  private final List<Grant> grants;

  private RenderedRbac(List<Grant> grants) {
    this.grants = grants.stream().sorted(ORDER).toList();
  }

  /** The permissions that the chart's bindings give to ServiceAccount namespace/name. */
  public static RenderedRbac forServiceAccount(RenderedChart chart, String namespace, String name) {
    Set<Grant> grants = new LinkedHashSet<>();
    for (ClusterRoleBinding binding : chart.all(ClusterRoleBinding.class)) {
      if (binds(binding.getSubjects(), namespace, name)) {
        grants.addAll(expand(clusterRoleRules(chart, binding.getRoleRef()), null));
      }
    }
    for (RoleBinding binding : chart.all(RoleBinding.class)) {
      if (binds(binding.getSubjects(), namespace, name)) {
        String bindingNamespace =
            requireNonNull(binding.getMetadata().getNamespace(), "RoleBinding namespace");
        List<PolicyRule> rules =
            switch (binding.getRoleRef().getKind()) {
              case "Role" -> roleRules(chart, bindingNamespace, binding.getRoleRef());
              case "ClusterRole" -> clusterRoleRules(chart, binding.getRoleRef());
              default ->
                  throw new IllegalStateException(
                      "RoleBinding refers to a " + binding.getRoleRef().getKind());
            };
        grants.addAll(expand(rules, bindingNamespace));
      }
    }
    return new RenderedRbac(new ArrayList<>(grants));
  }

  /** The ServiceAccount the chart's Deployment runs as, with default values. */
  public static RenderedRbac forController(RenderedChart chart) {
    String serviceAccount = chart.podSpec().getServiceAccountName();
    return forServiceAccount(chart, HelmChart.NAMESPACE, serviceAccount);
  }

  /** Every permission, one verb on one resource each, sorted; empty when nothing is bound. */
  public List<Grant> grants() {
    return grants;
  }

  public boolean allows(ApiCall call) {
    return grants.stream().anyMatch(grant -> grant.permits(call));
  }

  /**
   * Whether a request on a resource's collection or an unnamed object is allowed.
   *
   * @param namespace null for cluster-scoped resources or all namespaces
   */
  public boolean allows(String verb, String group, String resource, String namespace) {
    return allows(new ApiCall(verb, group, resource, namespace, null));
  }

  /** The grants that none of the calls needs: what the chart could take away. */
  public List<Grant> unusedBy(Collection<ApiCall> calls) {
    return grants.stream().filter(grant -> calls.stream().noneMatch(grant::permits)).toList();
  }

  private static boolean binds(List<Subject> subjects, String namespace, String name) {
    return subjects != null
        && subjects.stream()
            .anyMatch(
                s ->
                    "ServiceAccount".equals(s.getKind())
                        && name.equals(s.getName())
                        && namespace.equals(s.getNamespace()));
  }

  private static List<PolicyRule> clusterRoleRules(RenderedChart chart, RoleRef ref) {
    if (!"ClusterRole".equals(ref.getKind())) {
      throw new IllegalStateException("ClusterRoleBinding refers to a " + ref.getKind());
    }
    return chart.get(ClusterRole.class, ref.getName()).getRules();
  }

  private static List<PolicyRule> roleRules(RenderedChart chart, String namespace, RoleRef ref) {
    return chart.get(Role.class, namespace, ref.getName()).getRules();
  }

  private static List<Grant> expand(List<PolicyRule> rules, String namespace) {
    List<Grant> grants = new ArrayList<>();
    for (PolicyRule rule : rules) {
      if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
        throw new IllegalStateException("nonResourceURLs are not modelled: " + rule);
      }
      List<String> names =
          rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
              ? Collections.singletonList(null)
              : rule.getResourceNames();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            for (String resourceName : names) {
              grants.add(new Grant(verb, group, resource, namespace, resourceName));
            }
          }
        }
      }
    }
    return grants;
  }

  @Override
  public String toString() {
    return grants.stream().map(Objects::toString).reduce((a, b) -> a + "\n" + b).orElse("");
  }
}
