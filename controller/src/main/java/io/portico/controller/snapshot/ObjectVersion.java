package io.portico.controller.snapshot;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Objects;

/**
 * The version of an object as a value, for a cache that must recognise the same version later
 * without holding on to the object itself (a later snapshot may hold another copy of it).
 *
 * @param uid {@code metadata.uid}
 * @param resourceVersion {@code metadata.resourceVersion}; an empty or missing one matches nothing
 */
public record ObjectVersion(String uid, String resourceVersion) {

  public static ObjectVersion of(HasMetadata object) {
    ObjectMeta meta = object.getMetadata();
    return new ObjectVersion(meta.getUid(), meta.getResourceVersion());
  }

  /**
   * Whether {@code object} is this version: the same uid and the same, known, resourceVersion (as
   * {@link ObjectVersions#same} compares two objects).
   */
  public boolean isVersionOf(HasMetadata object) {
    if (object == null || resourceVersion == null || resourceVersion.isEmpty()) {
      return false;
    }
    ObjectMeta meta = object.getMetadata();
    return meta != null
        && resourceVersion.equals(meta.getResourceVersion())
        && Objects.equals(uid, meta.getUid());
  }
}
