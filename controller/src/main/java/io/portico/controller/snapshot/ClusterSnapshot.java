package io.portico.controller.snapshot;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * An immutable view of the objects translation reads, by {@linkplain Kinds kind}. Sources build one
 * from whatever they hold (informer caches, files); objects of kinds not registered in {@link
 * Kinds} are ignored. The snapshot shares the model objects with its source; neither modifies them
 * once the snapshot holds them (see the rule in the {@linkplain io.portico.controller.snapshot
 * package documentation}). Every object a snapshot holds has a uid and a resourceVersion: objects
 * added without them get synthetic ones ({@link ObjectVersions}).
 *
 * <p>One generic path serves every kind: {@link #all}, {@link #get}, {@link #group} (for grouped
 * kinds such as EndpointSlices) and {@link #changedSince}. The accessors named after a kind ({@link
 * #ingress}, {@link #service}, ...) are shorthands for them.
 *
 * <p>A snapshot is cheap to derive from another: {@link #toBuilder()} starts from it, and each kind
 * is kept in hash shards of which a new snapshot copies only those its changes touch, so a source
 * can apply one change to a large cluster without copying every object.
 */
public final class ClusterSnapshot {

  /** The label that ties an EndpointSlice to its Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  /**
   * Where an object goes in a snapshot: two objects with equal keys replace each other.
   *
   * @param kind the object's kind
   * @param slot its key, or for a grouped kind its group's key
   * @param member its name within its group; empty for kinds that are not grouped
   */
  public record EntryKey(SnapshotKind<?> kind, ObjectKey slot, String member) {}

  /** The objects of one group of a grouped kind, by name, and as a list in name order. */
  private record Group(Map<String, HasMetadata> byName, List<HasMetadata> list) {
    static final Group NONE = new Group(Map.of(), List.of());

    Group with(HasMetadata object) {
      Map<String, HasMetadata> next = new TreeMap<>(byName);
      next.put(object.getMetadata().getName(), object);
      return of(next);
    }

    Group without(String name) {
      Map<String, HasMetadata> next = new TreeMap<>(byName);
      next.remove(name);
      return of(next);
    }

    /** The same objects, version for version, in the same order. */
    static boolean sameVersions(Object a, Object b) {
      if (a == b) {
        return true;
      }
      if (!(a instanceof Group x) || !(b instanceof Group y) || x.list.size() != y.list.size()) {
        return false;
      }
      for (int i = 0; i < x.list.size(); i++) {
        if (!ObjectVersions.same(x.list.get(i), y.list.get(i))) {
          return false;
        }
      }
      return true;
    }

    private static Group of(Map<String, HasMetadata> byName) {
      return new Group(Collections.unmodifiableMap(byName), List.copyOf(byName.values()));
    }
  }

  // By kind index: the kind's objects by key, or its groups by group key.
  private final ShardedMap<ObjectKey, Object>[] kinds;
  // By kind index: all(kind), made on first use and then kept. Always the same content, so a race
  // only repeats the work.
  private final AtomicReferenceArray<List<?>> lists;

  private ClusterSnapshot(Builder builder) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    ShardedMap<ObjectKey, Object>[] built = new ShardedMap[builder.kinds.length];
    for (int i = 0; i < built.length; i++) {
      built[i] = builder.kinds[i].build();
    }
    this.kinds = built;
    this.lists = new AtomicReferenceArray<>(built.length);
  }

  public static Builder builder() {
    return new Builder(null);
  }

  /** A snapshot of the given objects; {@code List} objects are unpacked, other kinds ignored. */
  public static ClusterSnapshot of(Collection<? extends HasMetadata> objects) {
    Builder builder = builder();
    objects.forEach(builder::add);
    return builder.build();
  }

  /** A builder that starts with this snapshot's objects; this snapshot does not change. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Where an object goes in a snapshot; {@code null} for objects a snapshot ignores (unregistered
   * kinds, an EndpointSlice without its Service's label). {@code List} objects have no key of their
   * own: unpack them first.
   */
  public static @Nullable EntryKey key(HasMetadata object) {
    SnapshotKind<?> kind = Kinds.of(object);
    return kind == null ? null : entryKey(kind, object);
  }

  private static <T extends HasMetadata> @Nullable EntryKey entryKey(
      SnapshotKind<T> kind, HasMetadata object) {
    ObjectKey slot = kind.slot(kind.cast(object));
    if (slot == null) {
      return null;
    }
    return new EntryKey(kind, slot, kind.grouped() ? object.getMetadata().getName() : "");
  }

  /** Every object of a kind, in no particular order. */
  public <T extends HasMetadata> List<T> all(SnapshotKind<T> kind) {
    @SuppressWarnings("unchecked")
    List<T> list = (List<T>) lists.get(kind.index());
    if (list == null) {
      List<T> made = new ArrayList<>();
      for (Object value : kinds[kind.index()].values()) {
        if (kind.grouped()) {
          ((Group) value).list().forEach(object -> made.add(kind.cast(object)));
        } else {
          made.add(kind.cast(value));
        }
      }
      list = List.copyOf(made);
      lists.set(kind.index(), list);
    }
    return list;
  }

  /**
   * The object of a kind with this key, or {@code null}.
   *
   * @throws IllegalArgumentException for a grouped kind: read its objects with {@link #group}
   */
  public <T extends HasMetadata> @Nullable T get(SnapshotKind<T> kind, ObjectKey key) {
    if (kind.grouped()) {
      throw new IllegalArgumentException(
          "kind: " + kind + " (expected: a kind held by key; read its groups with group())");
    }
    Object object = kinds[kind.index()].get(key);
    return object == null ? null : kind.cast(object);
  }

  /**
   * The objects of a grouped kind in one group, in name order; empty when there are none.
   *
   * @throws IllegalArgumentException for a kind that is not grouped: read it with {@link #get}
   */
  public <T extends HasMetadata> List<T> group(SnapshotKind<T> kind, ObjectKey group) {
    if (!kind.grouped()) {
      throw new IllegalArgumentException(
          "kind: " + kind + " (expected: a grouped kind; read this one with get())");
    }
    Group members = (Group) kinds[kind.index()].get(group);
    if (members == null) {
      return List.of();
    }
    @SuppressWarnings("unchecked")
    List<T> list = (List<T>) members.list();
    return list;
  }

  /**
   * The keys (for a grouped kind, the group keys) under which this snapshot holds other versions of
   * a kind's objects than {@code previous} does: added, removed or replaced by another version.
   * Cheap when this snapshot was derived from {@code previous}.
   */
  public Set<ObjectKey> changedSince(SnapshotKind<?> kind, ClusterSnapshot previous) {
    Set<ObjectKey> changed = new HashSet<>();
    ShardedMap.forEachChange(
        previous.kinds[kind.index()],
        kinds[kind.index()],
        kind.grouped()
            ? Group::sameVersions
            : (a, b) -> ObjectVersions.same((HasMetadata) a, (HasMetadata) b),
        changed::add);
    return changed;
  }

  /** Every Ingress, in no particular order. */
  public List<Ingress> ingresses() {
    return all(Kinds.INGRESS);
  }

  /** The Ingress, or {@code null}. */
  public @Nullable Ingress ingress(ObjectKey key) {
    return get(Kinds.INGRESS, key);
  }

  /** The IngressClass with this name, or {@code null}. */
  public @Nullable IngressClass ingressClass(String name) {
    return get(Kinds.INGRESS_CLASS, ObjectKey.clusterScoped(name));
  }

  public Collection<IngressClass> ingressClasses() {
    return all(Kinds.INGRESS_CLASS);
  }

  /** The Service, or {@code null}. */
  public @Nullable Service service(ObjectKey key) {
    return get(Kinds.SERVICE, key);
  }

  /** The EndpointSlices labelled for this Service, in name order; empty when none. */
  public List<EndpointSlice> endpointSlices(ObjectKey service) {
    return group(Kinds.ENDPOINT_SLICE, service);
  }

  /** The Endpoints object of this Service, or {@code null}. */
  public @Nullable Endpoints endpoints(ObjectKey service) {
    return get(Kinds.ENDPOINTS, service);
  }

  /** The Secret, or {@code null}. */
  public @Nullable Secret secret(ObjectKey key) {
    return get(Kinds.SECRET, key);
  }

  /**
   * Sorts objects by kind; the last object with a given {@linkplain #key key} wins. A builder may
   * go on after {@link #build()}: snapshots already built do not change.
   */
  public static final class Builder {
    private final ShardedMap.Builder<ObjectKey, Object>[] kinds;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Builder(@Nullable ClusterSnapshot from) {
      kinds = new ShardedMap.Builder[Kinds.count()];
      for (int i = 0; i < kinds.length; i++) {
        kinds[i] = from == null ? new ShardedMap.Builder<>() : from.kinds[i].toBuilder();
      }
    }

    /**
     * Adds an object, replacing one with the same {@linkplain #key key}. An object without a uid or
     * a resourceVersion is given synthetic ones first ({@link ObjectVersions}).
     */
    public Builder add(HasMetadata object) {
      if (object instanceof KubernetesList list) {
        list.getItems().forEach(this::add);
        return this;
      }
      SnapshotKind<?> kind = Kinds.of(object);
      if (kind != null) {
        put(kind, object);
      }
      return this;
    }

    private <T extends HasMetadata> void put(SnapshotKind<T> kind, HasMetadata object) {
      ObjectKey slot = kind.slot(kind.cast(object));
      if (slot == null) {
        return;
      }
      ObjectVersions.assignSyntheticIfMissing(kind, object);
      ShardedMap.Builder<ObjectKey, Object> objects = kinds[kind.index()];
      if (kind.grouped()) {
        Group current = (Group) objects.get(slot);
        objects.put(slot, (current == null ? Group.NONE : current).with(object));
      } else {
        objects.put(slot, object);
      }
    }

    /**
     * Removes whatever object has the same {@linkplain #key key} as this one (for an EndpointSlice,
     * the key its labels give it); nothing when there is none.
     */
    public Builder remove(HasMetadata object) {
      if (object instanceof KubernetesList list) {
        list.getItems().forEach(this::remove);
        return this;
      }
      EntryKey key = key(object);
      if (key == null) {
        return this;
      }
      ShardedMap.Builder<ObjectKey, Object> objects = kinds[key.kind().index()];
      if (!key.kind().grouped()) {
        objects.remove(key.slot());
        return this;
      }
      Group current = (Group) objects.get(key.slot());
      if (current != null && current.byName().containsKey(key.member())) {
        Group rest = current.without(key.member());
        if (rest.list().isEmpty()) {
          objects.remove(key.slot());
        } else {
          objects.put(key.slot(), rest);
        }
      }
      return this;
    }

    public ClusterSnapshot build() {
      return new ClusterSnapshot(this);
    }
  }
}
