package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Secrets an Ingress's annotations refer to ({@code auth-secret}), by namespace and name. The
 * translator answers from the snapshot and remembers what was asked, found or not, so that a change
 * to one of those Secrets reads its Ingresses again.
 */
public interface SecretLookup {

  /** No Secret exists. */
  SecretLookup NONE = (namespace, name) -> Optional.empty();

  /** Secret {@code namespace/name}; empty when it does not exist. */
  Optional<Content> secret(String namespace, String name);

  /**
   * What a Secret holds, decoded. Its {@link #toString()} names the keys only: the values are
   * credentials and must never reach a log.
   *
   * @param type the Secret's {@code type}; {@code Opaque} when it names none (the API server's
   *     default)
   * @param data each key's value, decoded from base64 as UTF-8 ({@code stringData} in hand-written
   *     manifests too)
   * @param unreadable the keys whose value is not valid base64, left out of {@code data}
   */
  record Content(String type, Map<String, String> data, Set<String> unreadable) {

    /** The type of Secrets {@code kubectl create secret generic} makes, and the default. */
    public static final String OPAQUE = "Opaque";

    public Content {
      requireNonNull(type, "type");
      data = Map.copyOf(data);
      unreadable = Set.copyOf(unreadable);
    }

    /** Keys only. */
    @Override
    public String toString() {
      return "Secret[type="
          + type
          + ", keys="
          + new TreeSet<>(data.keySet())
          + (unreadable.isEmpty() ? "" : ", unreadable=" + new TreeSet<>(unreadable))
          + "]";
    }

    /** The data, sorted by key. */
    Map<String, String> sorted() {
      return new TreeMap<>(data);
    }
  }
}
