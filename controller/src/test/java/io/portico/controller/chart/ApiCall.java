package io.portico.controller.chart;

import static java.util.Objects.requireNonNull;

/**
 * One Kubernetes API request as the RBAC authorizer sees it.
 *
 * @param verb get, list, watch, create, update, patch, delete...
 * @param group the API group, "" for the core group
 * @param resource the plural resource, with the subresource after a slash ("ingresses/status")
 * @param namespace the request's namespace; null for cluster-scoped resources and for list or watch
 *     across all namespaces
 * @param name the object name in the request path; null for list, watch of a collection and create
 *     (which is why a rule's resourceNames never permit those)
 */
public record ApiCall(String verb, String group, String resource, String namespace, String name) {
  public ApiCall {
    requireNonNull(verb, "verb");
    requireNonNull(group, "group");
    requireNonNull(resource, "resource");
  }

  /** A request across all namespaces, or on a cluster-scoped resource. */
  public static ApiCall clusterWide(String verb, String group, String resource) {
    return new ApiCall(verb, group, resource, null, null);
  }

  public static ApiCall namespaced(String verb, String group, String resource, String namespace) {
    return new ApiCall(verb, group, resource, requireNonNull(namespace, "namespace"), null);
  }

  /** The same request on one named object. */
  public ApiCall named(String objectName) {
    return new ApiCall(verb, group, resource, namespace, requireNonNull(objectName, "name"));
  }

  @Override
  public String toString() {
    String target = (group.isEmpty() ? "" : group + "/") + resource;
    String where = namespace == null ? " (all namespaces)" : " in " + namespace;
    return verb + " " + target + (name == null ? "" : " " + name) + where;
  }
}
