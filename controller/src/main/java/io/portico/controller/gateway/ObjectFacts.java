package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.portico.controller.snapshot.ObjectKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Optional;

/**
 * What the Gateway API logic needs of an object's metadata.
 *
 * @param key namespace and name (cluster-scoped objects: namespace {@code ""})
 * @param generation {@code metadata.generation} as written; 1 when absent (manifests mode), never
 *     bumped by Portico
 * @param created {@code metadata.creationTimestamp}, empty when absent or unreadable
 */
public record ObjectFacts(ObjectKey key, long generation, Optional<Instant> created) {

  /**
   * Oldest first, then by namespace and name: the order conflicts between routes are settled in.
   */
  public static final Comparator<ObjectFacts> OLDEST_FIRST =
      Comparator.comparing((ObjectFacts f) -> f.created.orElse(Instant.MAX))
          .thenComparing(ObjectFacts::key);

  public ObjectFacts {
    requireNonNull(key, "key");
    requireNonNull(created, "created");
  }

  /** The facts of a namespaced object. */
  public static ObjectFacts of(HasMetadata object) {
    return of(object, ObjectKey.of(object));
  }

  /** The facts of a cluster-scoped object. */
  public static ObjectFacts clusterScoped(HasMetadata object) {
    return of(object, new ObjectKey("", object.getMetadata().getName()));
  }

  private static ObjectFacts of(HasMetadata object, ObjectKey key) {
    ObjectMeta meta = object.getMetadata();
    Long generation = meta.getGeneration();
    return new ObjectFacts(
        key,
        generation == null || generation < 1 ? 1 : generation,
        parse(meta.getCreationTimestamp()));
  }

  private static Optional<Instant> parse(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(timestamp));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
