package io.portico.controller.audit;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what an audit needs from a cluster with list calls only: no watch, no get of single
 * objects, no write. Ingresses, IngressClasses, Services, EndpointSlices and the Secrets of type
 * {@code kubernetes.io/tls} and {@code Opaque} (certificates and basic-auth users, the only ones
 * translation reads; other Secrets are never fetched), and the one controller ConfigMap asked for,
 * listed by name.
 */
public final class ClusterReader {

  private static final List<String> SECRET_TYPES = List.of("kubernetes.io/tls", "Opaque");

  private final KubernetesClient client;
  private final Optional<String> namespace;
  private final Optional<ObjectKey> configMap;

  /**
   * @param namespace the one namespace to read; empty for every namespace
   * @param configMap the controller ConfigMap to read too, in whatever namespace; empty for none
   */
  public ClusterReader(
      KubernetesClient client, Optional<String> namespace, Optional<ObjectKey> configMap) {
    this.client = requireNonNull(client, "client");
    this.namespace = requireNonNull(namespace, "namespace");
    this.configMap = requireNonNull(configMap, "configMap");
  }

  /** The objects, read now. */
  public ClusterSnapshot read() {
    List<HasMetadata> objects = new ArrayList<>();
    objects.addAll(client.network().v1().ingressClasses().list().getItems());
    if (namespace.isPresent()) {
      String ns = namespace.get();
      objects.addAll(client.network().v1().ingresses().inNamespace(ns).list().getItems());
      objects.addAll(client.services().inNamespace(ns).list().getItems());
      objects.addAll(client.discovery().v1().endpointSlices().inNamespace(ns).list().getItems());
      for (String type : SECRET_TYPES) {
        objects.addAll(client.secrets().inNamespace(ns).withField("type", type).list().getItems());
      }
    } else {
      objects.addAll(client.network().v1().ingresses().inAnyNamespace().list().getItems());
      objects.addAll(client.services().inAnyNamespace().list().getItems());
      objects.addAll(client.discovery().v1().endpointSlices().inAnyNamespace().list().getItems());
      for (String type : SECRET_TYPES) {
        objects.addAll(client.secrets().inAnyNamespace().withField("type", type).list().getItems());
      }
    }
    configMap.ifPresent(
        key ->
            objects.addAll(
                client
                    .configMaps()
                    .inNamespace(key.namespace())
                    .withField("metadata.name", key.name())
                    .list()
                    .getItems()));
    return ClusterSnapshot.of(objects);
  }
}
