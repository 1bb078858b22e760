package io.portico.controller.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drops the metadata Portico never reads from objects as they arrive from the API server, once,
 * from the object the informer's cache and the snapshot share. Both keep every watched Ingress,
 * Service, EndpointSlice and TLS Secret for as long as it exists.
 *
 * <ul>
 *   <li>{@code metadata.managedFields}: since Kubernetes 1.18 every object carries the
 *       server-side-apply record of which manager owns which field. For an EndpointSlice that lists
 *       every endpoint again, and fabric8 parses it into a tree of maps, so it can outweigh the
 *       object itself.
 *   <li>The {@code kubectl.kubernetes.io/last-applied-configuration} annotation of every object but
 *       Ingresses: {@code kubectl apply} stores the whole manifest in it, so every applied object
 *       is held twice, and for a TLS Secret that means a second copy of its private key.
 * </ul>
 *
 * <p>It also gives the object's empty {@code additionalProperties} maps one shared empty map
 * ({@link SharedEmptyExtras}).
 *
 * <p>Nothing trimmed is lost on the server. An update whose {@code managedFields} is absent leaves
 * the server's record as it was (only an empty list would reset it). Ingresses keep the annotation:
 * the status writer sends the cached Ingress back whole, and an update without it would erase it
 * from the cluster. Portico writes no other kind.
 */
final class MetadataTrim {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private MetadataTrim() {}

  /** Trims {@code object}'s metadata; idempotent. */
  static void apply(HasMetadata object) {
    ObjectMeta meta = object.getMetadata();
    if (meta == null) {
      return;
    }
    // Each a single reference write: a thread reading the old list or map meanwhile still reads a
    // whole one.
    if (meta.getManagedFields() != null && !meta.getManagedFields().isEmpty()) {
      meta.setManagedFields(null);
    }
    Map<String, String> annotations = meta.getAnnotations();
    if (!(object instanceof Ingress)
        && annotations != null
        && annotations.containsKey(LAST_APPLIED)) {
      Map<String, String> kept = new LinkedHashMap<>(annotations);
      kept.remove(LAST_APPLIED);
      meta.setAnnotations(kept);
    }
    SharedEmptyExtras.apply(object);
  }
}
