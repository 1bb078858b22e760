package io.portico.controller.translate;

import io.fabric8.kubernetes.api.model.Secret;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.tls.KeyPairCache;
import io.portico.tls.TlsKeyPair;
import io.portico.tls.TlsMaterialException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code kubernetes.io/tls} Secret into a validated {@link TlsKeyPair}, or says what is
 * wrong with it. Keys {@code tls.crt} and {@code tls.key} are read from {@code data} (base64, as
 * the API server stores them) or, for manifests written by hand, from {@code stringData}. Each
 * Secret version is parsed once: the cache key is {@code namespace/name@resourceVersion}, which
 * every object in a snapshot has (synthetic in manifest mode) and which changes whenever the Secret
 * does (the rule of the {@linkplain io.portico.controller.snapshot snapshot package}).
 */
final class TlsSecrets {

  static final String TLS_TYPE = "kubernetes.io/tls";

  /**
   * The outcome of reading one Secret.
   *
   * @param pair the key pair, or {@code null} when the Secret cannot be used
   * @param reason {@code SecretNotFound} or {@code InvalidSecret} when {@code pair} is null
   * @param problem what is wrong, for a finding
   */
  record Loaded(@Nullable TlsKeyPair pair, @Nullable String reason, @Nullable String problem) {
    boolean ok() {
      return pair != null;
    }
  }

  private final ClusterSnapshot snapshot;
  private final KeyPairCache cache;

  TlsSecrets(ClusterSnapshot snapshot, KeyPairCache cache) {
    this.snapshot = snapshot;
    this.cache = cache;
  }

  Loaded load(ObjectKey key) {
    Secret secret = snapshot.secret(key);
    if (secret == null) {
      // In a cluster only kubernetes.io/tls Secrets are watched: an Opaque one is "not found" too.
      return new Loaded(null, "SecretNotFound", "not found as a kubernetes.io/tls Secret");
    }
    if (!TLS_TYPE.equals(secret.getType())) {
      return invalid(
          "type "
              + (secret.getType() == null ? "Opaque (none given)" : secret.getType())
              + " (expected: "
              + TLS_TYPE
              + ")");
    }
    String certificate;
    String privateKey;
    try {
      certificate = value(secret, "tls.crt");
      privateKey = value(secret, "tls.key");
    } catch (IllegalArgumentException e) {
      return invalid(e.getMessage());
    }
    if (certificate == null || privateKey == null) {
      String missing =
          certificate == null && privateKey == null
              ? "tls.crt and tls.key"
              : certificate == null ? "tls.crt" : "tls.key";
      return invalid("has no " + missing);
    }
    String cacheKey = key + "@" + secret.getMetadata().getResourceVersion();
    try {
      return new Loaded(cache.get(cacheKey, key.toString(), certificate, privateKey), null, null);
    } catch (TlsMaterialException e) {
      return invalid(e.getMessage());
    }
  }

  private static Loaded invalid(@Nullable String problem) {
    return new Loaded(null, "InvalidSecret", problem);
  }

  /**
   * The text of a key, or {@code null} when absent or empty.
   *
   * @throws IllegalArgumentException when {@code data} holds invalid base64
   */
  private static @Nullable String value(Secret secret, String name) {
    Map<String, String> data = secret.getData();
    String encoded = data == null ? null : data.get(name);
    if (encoded != null && !encoded.isBlank()) {
      try {
        // Line breaks are ignored, as the API server's decoder does; anything else must be base64.
        String compact = encoded.replace("\r", "").replace("\n", "");
        return new String(Base64.getDecoder().decode(compact), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + " is not valid base64 (" + e.getMessage() + ")");
      }
    }
    Map<String, String> stringData = secret.getStringData();
    String text = stringData == null ? null : stringData.get(name);
    return text == null || text.isBlank() ? null : text;
  }
}
