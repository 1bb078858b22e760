package io.portico.controller.snapshot;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A namespaced object's identity: namespace and name. Cluster-scoped objects have namespace "".
 *
 * <p>A value class rather than a record only to keep its hash: keys are hashed in every snapshot
 * lookup and every set of referenced objects, tens of thousands per translation at 5,000 Ingresses,
 * and a record computes its hash from both strings each time. The hash is the one a record of these
 * two components has, so hash-ordered collections keep their order.
 */
public final class ObjectKey implements Comparable<ObjectKey> {

  private final String namespace;
  private final String name;
  private final int hash;

  public ObjectKey(String namespace, String name) {
    this.namespace = requireNonNull(namespace, "namespace");
    this.name = requireNonNull(name, "name");
    this.hash = 31 * namespace.hashCode() + name.hashCode();
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return name;
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
  public boolean equals(Object o) {
    return o == this
        || (o instanceof ObjectKey other
            && hash == other.hash
            && name.equals(other.name)
            && namespace.equals(other.namespace));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
