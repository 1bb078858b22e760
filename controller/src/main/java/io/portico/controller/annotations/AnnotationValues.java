package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The annotations of one Ingress under Portico's two prefixes, {@code portico.io/} and {@code
 * nginx.ingress.kubernetes.io/}, by name without the prefix. When both spellings are set, {@code
 * portico.io/} wins. Values are trimmed.
 *
 * <p>It records which names were read, so that the {@link AnnotationReader} can tell an honoured
 * annotation that had an effect from one its family had no use for. One instance serves one read of
 * one Ingress, on one thread.
 */
public final class AnnotationValues {

  /** Portico's own prefix; it wins over ingress-nginx's. */
  public static final String PORTICO_PREFIX = "portico.io/";

  /** ingress-nginx's prefix, read so that Ingresses move over without rewriting. */
  public static final String NGINX_PREFIX = "nginx.ingress.kubernetes.io/";

  private final Map<String, String> annotations;
  private final Set<String> read = new HashSet<>();

  private AnnotationValues(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  /** The values of an object's annotations (all of them; only the two prefixes are read). */
  public static AnnotationValues of(Map<String, String> annotations) {
    return new AnnotationValues(requireNonNull(annotations, "annotations"));
  }

  /** The value of {@code name} under either prefix, trimmed; empty when unset. Records the read. */
  public Optional<String> get(String name) {
    read.add(name);
    return Optional.ofNullable(raw(name)).map(String::trim);
  }

  /** Whether {@code name} is set under either prefix; does not count as a read. */
  public boolean has(String name) {
    return raw(name) != null;
  }

  /** The full key that supplies {@code name} (the one that wins), for messages. */
  public String keyOf(String name) {
    return annotations.containsKey(PORTICO_PREFIX + name)
        ? PORTICO_PREFIX + name
        : NGINX_PREFIX + name;
  }

  /** Whether {@link #get} asked for {@code name}. */
  public boolean wasRead(String name) {
    return read.contains(name);
  }

  /** The names set under either prefix, sorted. */
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (String key : annotations.keySet()) {
      String name = nameOf(key);
      if (name != null) {
        names.add(name);
      }
    }
    return names;
  }

  /** The keys that set {@code name}, {@code portico.io/} first; empty when unset. */
  Set<String> keysOf(String name) {
    Set<String> keys = new LinkedHashSet<>();
    if (annotations.containsKey(PORTICO_PREFIX + name)) {
      keys.add(PORTICO_PREFIX + name);
    }
    if (annotations.containsKey(NGINX_PREFIX + name)) {
      keys.add(NGINX_PREFIX + name);
    }
    return keys;
  }

  /** The value of one full key, trimmed; empty when unset. */
  Optional<String> valueOfKey(String key) {
    return Optional.ofNullable(annotations.get(key)).map(String::trim);
  }

  /** The name of a key under one of the two prefixes, or {@code null} for any other key. */
  static @Nullable String nameOf(String key) {
    if (key.startsWith(PORTICO_PREFIX)) {
      return key.substring(PORTICO_PREFIX.length());
    }
    if (key.startsWith(NGINX_PREFIX)) {
      return key.substring(NGINX_PREFIX.length());
    }
    return null;
  }

  private @Nullable String raw(String name) {
    String value = annotations.get(PORTICO_PREFIX + name);
    return value != null ? value : annotations.get(NGINX_PREFIX + name);
  }
}
