package io.portico.controller.snapshot;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An object's version: its {@code metadata.uid} and {@code metadata.resourceVersion}, which is what
 * the incremental caches compare (see the rule in the {@linkplain io.portico.controller.snapshot
 * package documentation}), and the synthetic versions of objects that come without one.
 */
public final class ObjectVersions {

  private static final HexFormat HEX = HexFormat.of();

  /** Made on first use: objects from the API server, which have versions, never need it. */
  private static final class Json {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  }

  private ObjectVersions() {}

  /**
   * Whether two objects are the same version of one object: the very same object, or two with the
   * same uid and the same, known, resourceVersion. Two objects without a resourceVersion are the
   * same version only when they are the same object.
   */
  public static boolean same(@Nullable HasMetadata a, @Nullable HasMetadata b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    ObjectMeta x = a.getMetadata();
    ObjectMeta y = b.getMetadata();
    return x != null
        && y != null
        && x.getResourceVersion() != null
        && !x.getResourceVersion().isEmpty()
        && x.getResourceVersion().equals(y.getResourceVersion())
        && Objects.equals(x.getUid(), y.getUid());
  }

  /**
   * Gives an object of a registered kind the version a manifest file implies, replacing any uid and
   * resourceVersion it was written with (in a folder they mean nothing; the folder is the only
   * truth): a uid that is the same for every object of this kind, namespace and name, and a
   * resourceVersion computed from the object's content as parsed, so it changes when the content
   * does. Objects of kinds no snapshot holds are left as they are. Call before anything else holds
   * the object.
   */
  public static void assignSynthetic(HasMetadata object) {
    SnapshotKind<?> kind = Kinds.of(object);
    if (kind != null && object.getMetadata() != null) {
      assign(kind, object, true);
    }
  }

  /**
   * Gives an object without a uid or resourceVersion synthetic ones, as {@link #assignSynthetic}
   * does; an object from the API server, which has both, is left as it is.
   */
  static void assignSyntheticIfMissing(SnapshotKind<?> kind, HasMetadata object) {
    ObjectMeta meta = object.getMetadata();
    if (meta != null && (isEmpty(meta.getUid()) || isEmpty(meta.getResourceVersion()))) {
      assign(kind, object, false);
    }
  }

  private static void assign(SnapshotKind<?> kind, HasMetadata object, boolean replace) {
    ObjectMeta meta = object.getMetadata();
    // The content first, as parsed, before the version changes it.
    String version = contentVersion(object);
    if (replace || isEmpty(meta.getUid())) {
      String identity =
          kind.name() + "/" + (kind.namespaced() ? ObjectKey.of(object) : meta.getName());
      meta.setUid(UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString());
    }
    if (replace || isEmpty(meta.getResourceVersion())) {
      meta.setResourceVersion(version);
    }
  }

  /** The first 64 bits of the SHA-256 of the object's JSON, in hex, marked as synthetic. */
  private static String contentVersion(HasMetadata object) {
    byte[] json = Json.SERIALIZATION.asJson(object).getBytes(StandardCharsets.UTF_8);
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(json);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    return "m-" + HEX.formatHex(digest, 0, 8);
  }

  private static boolean isEmpty(String text) {
    return text == null || text.isEmpty();
  }
}
