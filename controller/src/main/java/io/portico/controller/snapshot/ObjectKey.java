package io.portico.controller.snapshot;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** A namespaced object's identity: namespace and name. Cluster-scoped objects have namespace "". */
public record ObjectKey(String namespace, String name) implements Comparable<ObjectKey> {

  public ObjectKey {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
  }

  /** The key of an object; a missing namespace counts as {@code default}, as kubectl does. */
  public static ObjectKey of(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    return new ObjectKey(
        namespace == null || namespace.isEmpty() ? "default" : namespace,
        object.getMetadata().getName());
  }

  /** The key of a cluster-scoped object: its name, in no namespace. */
  public static ObjectKey clusterScoped(String name) {
    return new ObjectKey("", name);
  }

  /**
   * Parses {@code namespace/name}.
   *
   * @throws IllegalArgumentException when the text is not of that form
   */
  public static ObjectKey parse(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException("'" + text + "' (expected: namespace/name)");
    }
    return new ObjectKey(text.substring(0, slash), text.substring(slash + 1));
  }

  @Override
  public int compareTo(ObjectKey other) {
    int byNamespace = namespace.compareTo(other.namespace);
    return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
