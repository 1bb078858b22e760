package io.portico.controller.snapshot;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A kind of object a {@link ClusterSnapshot} holds: its model class, whether it is namespaced, and
 * how its objects are keyed. Kinds are made and registered in one place, {@link Kinds}.
 *
 * <p>Most kinds hold one object per {@link #key key}. A <em>grouped</em> kind holds its objects by
 * a group key instead, several per group in name order: EndpointSlices are read by the Service they
 * belong to, never one by one.
 *
 * @param <T> the model class
 */
public final class SnapshotKind<T extends HasMetadata> {

  private final int index;
  private final String name;
  private final Class<T> type;
  private final boolean namespaced;
  private final @Nullable Function<T, @Nullable ObjectKey> groupBy;

  SnapshotKind(
      int index,
      String name,
      Class<T> type,
      boolean namespaced,
      @Nullable Function<T, @Nullable ObjectKey> groupBy) {
    this.index = index;
    this.name = requireNonNull(name, "name");
    this.type = requireNonNull(type, "type");
    this.namespaced = namespaced;
    this.groupBy = groupBy;
  }

  /** The kind's name as in {@code kind:}, e.g. {@code Ingress}. */
  public String name() {
    return name;
  }

  /** The fabric8 model class of its objects. */
  public Class<T> type() {
    return type;
  }

  public boolean namespaced() {
    return namespaced;
  }

  /** Whether objects are held by group ({@link ClusterSnapshot#group}) rather than by key. */
  public boolean grouped() {
    return groupBy != null;
  }

  /**
   * The object's identity within its kind: namespace (a missing one counts as {@code default}) and
   * name, or the name alone for a cluster-scoped kind.
   */
  public ObjectKey key(T object) {
    return namespaced
        ? ObjectKey.of(object)
        : ObjectKey.clusterScoped(object.getMetadata().getName());
  }

  /**
   * Where the object is held: its group for a grouped kind, else its key; {@code null} for an
   * object of a grouped kind that belongs to no group, which a snapshot does not hold.
   */
  @Nullable ObjectKey slot(T object) {
    return groupBy == null ? key(object) : groupBy.apply(object);
  }

  /** The position of this kind in the registry: where a snapshot keeps its objects. */
  int index() {
    return index;
  }

  T cast(Object object) {
    return type.cast(object);
  }

  @Override
  public String toString() {
    return name;
  }
}
