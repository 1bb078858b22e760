package io.portico.controller.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * Drops {@code metadata.managedFields} from objects as they arrive from the API server.
 *
 * <p>Since Kubernetes 1.18 every object carries them: the server-side-apply record of which manager
 * owns which field. For an EndpointSlice that lists every endpoint again, and fabric8 parses it
 * into a tree of maps, so it can outweigh the object itself. Portico never reads them, and the
 * informer caches keep every Ingress, Service, EndpointSlice and TLS Secret for as long as it
 * exists, so they are dropped once, on arrival, from the object the cache and the snapshot share.
 *
 * <p>Writing back such an object stays safe: an update whose {@code managedFields} is absent leaves
 * the server's record as it was (only an empty list would reset it). The status writer sends the
 * informer's object, so nothing else is trimmed: kubectl's {@code last-applied-configuration}
 * annotation, large as it is, would be erased from the cluster by the next status write.
 */
final class ManagedFieldsTrim {

  private ManagedFieldsTrim() {}

  /** Drops {@code object}'s managed fields, if it has any; idempotent. */
  static void apply(HasMetadata object) {
    ObjectMeta meta = object.getMetadata();
    if (meta != null && meta.getManagedFields() != null && !meta.getManagedFields().isEmpty()) {
      // One reference write: a thread reading the old list meanwhile still reads a whole list.
      meta.setManagedFields(null);
    }
  }
}
