package io.portico.controller.translate;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable view of the objects translation reads. Sources build one from whatever they hold
 * (informer caches, files); other kinds are ignored. The snapshot shares the model objects with its
 * source and never modifies them; sources replace an object that changes rather than modify it (the
 * {@link Translator} remembers results per object).
 *
 * <p>A snapshot is cheap to derive from another: {@link #toBuilder()} starts from it, and each kind
 * is kept in hash shards of which a new snapshot copies only those its changes touch, so a source
 * can apply one change to 15,000 objects without copying them all.
 */
public final class ClusterSnapshot {

  /** The label that ties an EndpointSlice to its Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  /** The EndpointSlices of one Service, by name, and as a list in name order. */
  private record Slices(Map<String, EndpointSlice> byName, List<EndpointSlice> list) {
    static final Slices NONE = new Slices(Map.of(), List.of());

    Slices with(EndpointSlice slice) {
      Map<String, EndpointSlice> next = new TreeMap<>(byName);
      next.put(slice.getMetadata().getName(), slice);
      return of(next);
    }

    Slices without(String name) {
      Map<String, EndpointSlice> next = new TreeMap<>(byName);
      next.remove(name);
      return of(next);
    }

    private static Slices of(Map<String, EndpointSlice> byName) {
      return new Slices(Collections.unmodifiableMap(byName), List.copyOf(byName.values()));
    }
  }

  private final ShardedMap<ObjectKey, Ingress> ingresses;
  private final ShardedMap<String, IngressClass> ingressClasses;
  private final ShardedMap<ObjectKey, Service> services;
  private final ShardedMap<ObjectKey, Slices> endpointSlices;
  private final ShardedMap<ObjectKey, Endpoints> endpoints;
  private final ShardedMap<ObjectKey, Secret> secrets;
  // Made on first use, then kept: always the same content, so a race only repeats the work.
  private volatile List<Ingress> ingressList;
  private volatile List<IngressClass> ingressClassList;

  private ClusterSnapshot(Builder builder) {
    this.ingresses = builder.ingresses.build();
    this.ingressClasses = builder.ingressClasses.build();
    this.services = builder.services.build();
    this.endpointSlices = builder.endpointSlices.build();
    this.endpoints = builder.endpoints.build();
    this.secrets = builder.secrets.build();
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
   * Where an object goes in a snapshot: two objects with equal keys replace each other; {@code
   * null} for objects a snapshot ignores (other kinds, an EndpointSlice without its Service's
   * label). {@code List} objects have no key of their own: unpack them first.
   */
  public static Object key(HasMetadata object) {
    if (object instanceof Ingress
        || object instanceof Service
        || object instanceof Endpoints
        || object instanceof Secret) {
      return List.of(object.getClass(), ObjectKey.of(object));
    }
    if (object instanceof IngressClass ingressClass) {
      return List.of(IngressClass.class, ingressClass.getMetadata().getName());
    }
    if (object instanceof EndpointSlice slice) {
      ObjectKey service = sliceService(slice);
      return service == null
          ? null
          : List.of(EndpointSlice.class, service, slice.getMetadata().getName());
    }
    return null;
  }

  private static ObjectKey sliceService(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    return service == null ? null : new ObjectKey(ObjectKey.of(slice).namespace(), service);
  }

  /** Every Ingress, in no particular order. */
  public List<Ingress> ingresses() {
    List<Ingress> list = ingressList;
    if (list == null) {
      list = List.copyOf(ingresses.values());
      ingressList = list;
    }
    return list;
  }

  /** The Ingress, or {@code null}. */
  public Ingress ingress(ObjectKey key) {
    return ingresses.get(key);
  }

  /**
   * The Ingresses that differ from those of {@code previous}: added, removed or replaced by another
   * object. Cheap when this snapshot was derived from {@code previous}.
   */
  Set<ObjectKey> ingressesChangedSince(ClusterSnapshot previous) {
    Set<ObjectKey> changed = new HashSet<>();
    ShardedMap.forEachChange(previous.ingresses, ingresses, changed::add);
    return changed;
  }

  /**
   * The Services whose object, EndpointSlices or Endpoints object differ from those of {@code
   * previous}: what a backend resolution reads.
   */
  Set<ObjectKey> servicesChangedSince(ClusterSnapshot previous) {
    Set<ObjectKey> changed = new HashSet<>();
    ShardedMap.forEachChange(previous.services, services, changed::add);
    ShardedMap.forEachChange(previous.endpointSlices, endpointSlices, changed::add);
    ShardedMap.forEachChange(previous.endpoints, endpoints, changed::add);
    return changed;
  }

  /** Whether the IngressClasses are the very objects of {@code previous}. */
  boolean sameIngressClasses(ClusterSnapshot previous) {
    boolean[] same = {true};
    ShardedMap.forEachChange(previous.ingressClasses, ingressClasses, name -> same[0] = false);
    return same[0];
  }

  /** The IngressClass with this name, or {@code null}. */
  public IngressClass ingressClass(String name) {
    return ingressClasses.get(name);
  }

  public Collection<IngressClass> ingressClasses() {
    List<IngressClass> list = ingressClassList;
    if (list == null) {
      list = List.copyOf(ingressClasses.values());
      ingressClassList = list;
    }
    return list;
  }

  /** The Service, or {@code null}. */
  public Service service(ObjectKey key) {
    return services.get(key);
  }

  /** The EndpointSlices labelled for this Service, in name order; empty when none. */
  public List<EndpointSlice> endpointSlices(ObjectKey service) {
    Slices slices = endpointSlices.get(service);
    return slices == null ? List.of() : slices.list();
  }

  /** The Endpoints object of this Service, or {@code null}. */
  public Endpoints endpoints(ObjectKey service) {
    return endpoints.get(service);
  }

  /** The Secret, or {@code null}. */
  public Secret secret(ObjectKey key) {
    return secrets.get(key);
  }

  /**
   * Sorts objects by kind; the last object with a given key wins. A builder may go on after {@link
   * #build()}: snapshots already built do not change.
   */
  public static final class Builder {
    private final ShardedMap.Builder<ObjectKey, Ingress> ingresses;
    private final ShardedMap.Builder<String, IngressClass> ingressClasses;
    private final ShardedMap.Builder<ObjectKey, Service> services;
    private final ShardedMap.Builder<ObjectKey, Slices> endpointSlices;
    private final ShardedMap.Builder<ObjectKey, Endpoints> endpoints;
    private final ShardedMap.Builder<ObjectKey, Secret> secrets;

    private Builder(ClusterSnapshot from) {
      if (from == null) {
        ingresses = new ShardedMap.Builder<>();
        ingressClasses = new ShardedMap.Builder<>();
        services = new ShardedMap.Builder<>();
        endpointSlices = new ShardedMap.Builder<>();
        endpoints = new ShardedMap.Builder<>();
        secrets = new ShardedMap.Builder<>();
      } else {
        ingresses = from.ingresses.toBuilder();
        ingressClasses = from.ingressClasses.toBuilder();
        services = from.services.toBuilder();
        endpointSlices = from.endpointSlices.toBuilder();
        endpoints = from.endpoints.toBuilder();
        secrets = from.secrets.toBuilder();
      }
    }

    /** Adds an object, replacing one with the same {@linkplain #key key}. */
    public Builder add(HasMetadata object) {
      if (object instanceof KubernetesList list) {
        list.getItems().forEach(this::add);
      } else if (object instanceof Ingress ingress) {
        ingresses.put(ObjectKey.of(ingress), ingress);
      } else if (object instanceof IngressClass ingressClass) {
        ingressClasses.put(ingressClass.getMetadata().getName(), ingressClass);
      } else if (object instanceof Service service) {
        services.put(ObjectKey.of(service), service);
      } else if (object instanceof EndpointSlice slice) {
        ObjectKey service = sliceService(slice);
        if (service != null) {
          Slices current = endpointSlices.get(service);
          endpointSlices.put(service, (current == null ? Slices.NONE : current).with(slice));
        }
      } else if (object instanceof Endpoints endpointsObject) {
        endpoints.put(ObjectKey.of(endpointsObject), endpointsObject);
      } else if (object instanceof Secret secret) {
        secrets.put(ObjectKey.of(secret), secret);
      }
      return this;
    }

    /**
     * Removes whatever object has the same {@linkplain #key key} as this one (for an EndpointSlice,
     * the key its labels give it); nothing when there is none.
     */
    public Builder remove(HasMetadata object) {
      if (object instanceof KubernetesList list) {
        list.getItems().forEach(this::remove);
      } else if (object instanceof Ingress) {
        ingresses.remove(ObjectKey.of(object));
      } else if (object instanceof IngressClass) {
        ingressClasses.remove(object.getMetadata().getName());
      } else if (object instanceof Service) {
        services.remove(ObjectKey.of(object));
      } else if (object instanceof EndpointSlice slice) {
        ObjectKey service = sliceService(slice);
        Slices current = service == null ? null : endpointSlices.get(service);
        if (current != null && current.byName().containsKey(slice.getMetadata().getName())) {
          Slices rest = current.without(slice.getMetadata().getName());
          if (rest.list().isEmpty()) {
            endpointSlices.remove(service);
          } else {
            endpointSlices.put(service, rest);
          }
        }
      } else if (object instanceof Endpoints) {
        endpoints.remove(ObjectKey.of(object));
      } else if (object instanceof Secret) {
        secrets.remove(ObjectKey.of(object));
      }
      return this;
    }

    public ClusterSnapshot build() {
      return new ClusterSnapshot(this);
    }
  }
}
