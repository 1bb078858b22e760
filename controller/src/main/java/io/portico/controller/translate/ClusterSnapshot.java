package io.portico.controller.translate;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable view of the objects translation reads. Sources build one from whatever they hold
 * (informer caches, files); other kinds are ignored. The snapshot shares the model objects with its
 * source and never modifies them.
 */
public final class ClusterSnapshot {

  /** The label that ties an EndpointSlice to its Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private final List<Ingress> ingresses;
  private final Map<String, IngressClass> ingressClasses;
  private final Map<ObjectKey, Service> services;
  private final Map<ObjectKey, List<EndpointSlice>> endpointSlices;
  private final Map<ObjectKey, Endpoints> endpoints;
  private final Map<ObjectKey, Secret> secrets;

  private ClusterSnapshot(Builder builder) {
    this.ingresses = List.copyOf(builder.ingresses);
    this.ingressClasses = Map.copyOf(builder.ingressClasses);
    this.services = Map.copyOf(builder.services);
    Map<ObjectKey, List<EndpointSlice>> slices = new HashMap<>();
    builder.endpointSlices.forEach((k, v) -> slices.put(k, List.copyOf(v)));
    this.endpointSlices = Map.copyOf(slices);
    this.endpoints = Map.copyOf(builder.endpoints);
    this.secrets = Map.copyOf(builder.secrets);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A snapshot of the given objects; {@code List} objects are unpacked, other kinds ignored. */
  public static ClusterSnapshot of(Collection<? extends HasMetadata> objects) {
    Builder builder = builder();
    objects.forEach(builder::add);
    return builder.build();
  }

  /** Every Ingress, in no particular order. */
  public List<Ingress> ingresses() {
    return ingresses;
  }

  /** The IngressClass with this name, or {@code null}. */
  public IngressClass ingressClass(String name) {
    return ingressClasses.get(name);
  }

  public Collection<IngressClass> ingressClasses() {
    return ingressClasses.values();
  }

  /** The Service, or {@code null}. */
  public Service service(ObjectKey key) {
    return services.get(key);
  }

  /** The EndpointSlices labelled for this Service; empty when none. */
  public List<EndpointSlice> endpointSlices(ObjectKey service) {
    return endpointSlices.getOrDefault(service, List.of());
  }

  /** The Endpoints object of this Service, or {@code null}. */
  public Endpoints endpoints(ObjectKey service) {
    return endpoints.get(service);
  }

  /** The Secret, or {@code null}. */
  public Secret secret(ObjectKey key) {
    return secrets.get(key);
  }

  /** Sorts objects by kind; the last object with a given key wins. */
  public static final class Builder {
    private final List<Ingress> ingresses = new ArrayList<>();
    private final Map<ObjectKey, Ingress> ingressesByKey = new HashMap<>();
    private final Map<String, IngressClass> ingressClasses = new HashMap<>();
    private final Map<ObjectKey, Service> services = new HashMap<>();
    private final Map<ObjectKey, Map<String, EndpointSlice>> slicesByService = new HashMap<>();
    private final Map<ObjectKey, List<EndpointSlice>> endpointSlices = new HashMap<>();
    private final Map<ObjectKey, Endpoints> endpoints = new HashMap<>();
    private final Map<ObjectKey, Secret> secrets = new HashMap<>();

    private Builder() {}

    public Builder add(HasMetadata object) {
      if (object instanceof KubernetesList list) {
        list.getItems().forEach(this::add);
      } else if (object instanceof Ingress ingress) {
        ingressesByKey.put(ObjectKey.of(ingress), ingress);
      } else if (object instanceof IngressClass ingressClass) {
        ingressClasses.put(ingressClass.getMetadata().getName(), ingressClass);
      } else if (object instanceof Service service) {
        services.put(ObjectKey.of(service), service);
      } else if (object instanceof EndpointSlice slice) {
        String service =
            slice.getMetadata().getLabels() == null
                ? null
                : slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
        if (service != null) {
          ObjectKey key = new ObjectKey(ObjectKey.of(slice).namespace(), service);
          slicesByService
              .computeIfAbsent(key, k -> new HashMap<>())
              .put(slice.getMetadata().getName(), slice);
        }
      } else if (object instanceof Endpoints endpointsObject) {
        endpoints.put(ObjectKey.of(endpointsObject), endpointsObject);
      } else if (object instanceof Secret secret) {
        secrets.put(ObjectKey.of(secret), secret);
      }
      return this;
    }

    public ClusterSnapshot build() {
      ingresses.clear();
      ingresses.addAll(ingressesByKey.values());
      endpointSlices.clear();
      slicesByService.forEach((k, v) -> endpointSlices.put(k, new ArrayList<>(v.values())));
      return new ClusterSnapshot(this);
    }
  }
}
