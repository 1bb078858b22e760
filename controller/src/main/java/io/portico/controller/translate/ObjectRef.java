package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.portico.controller.snapshot.ObjectKey;

/** An object a finding is about: its kind and key, e.g. {@code Ingress default/app}. */
public record ObjectRef(String kind, ObjectKey key) implements Comparable<ObjectRef> {

  public ObjectRef {
    requireNonNull(kind, "kind");
    requireNonNull(key, "key");
  }

  public static ObjectRef of(HasMetadata object) {
    return new ObjectRef(object.getKind(), ObjectKey.of(object));
  }

  public static ObjectRef ingress(ObjectKey key) {
    return new ObjectRef("Ingress", key);
  }

  @Override
  public int compareTo(ObjectRef other) {
    int byKind = kind.compareTo(other.kind);
    return byKind != 0 ? byKind : key.compareTo(other.key);
  }

  @Override
  public String toString() {
    return kind + " " + key;
  }
}
