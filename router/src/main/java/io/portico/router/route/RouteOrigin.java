package io.portico.router.route;

import static java.util.Objects.requireNonNull;

/**
 * The object a route comes from, for logs, metrics labels and explanations: an Ingress ({@code
 * namespace/name}) or the controller itself (the {@code --default-backend} flag).
 */
public record RouteOrigin(String namespace, String name) implements Comparable<RouteOrigin> {

  /** The controller-wide {@code --default-backend}. */
  public static final RouteOrigin CONTROLLER_DEFAULT = new RouteOrigin("", "--default-backend");

  public RouteOrigin {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
  }

  @Override
  public int compareTo(RouteOrigin other) {
    int byNamespace = namespace.compareTo(other.namespace);
    return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
