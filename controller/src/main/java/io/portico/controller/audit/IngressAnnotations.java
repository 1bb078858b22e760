package io.portico.controller.audit;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The annotations of an Ingress that Portico reads, by name without prefix: a {@code portico.io/}
 * key wins over its {@code nginx.ingress.kubernetes.io/} twin, as in translation.
 *
 * @param values value by name
 * @param keys the key as written, by name
 */
record IngressAnnotations(Map<String, String> values, Map<String, String> keys) {

  static final String NGINX = "nginx.ingress.kubernetes.io/";
  static final String PORTICO = "portico.io/";

  static IngressAnnotations of(Ingress ingress) {
    Map<String, String> values = new TreeMap<>();
    Map<String, String> keys = new TreeMap<>();
    Map<String, String> all = ingress.getMetadata().getAnnotations();
    if (all != null) {
      for (String prefix : new String[] {NGINX, PORTICO}) {
        all.forEach(
            (key, value) -> {
              if (key.startsWith(prefix) && value != null) {
                String name = key.substring(prefix.length());
                values.put(name, value.strip());
                keys.put(name, key);
              }
            });
      }
    }
    return new IngressAnnotations(values, keys);
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** Go's ParseBool, as ingress-nginx reads switches; {@code fallback} when unset or unreadable. */
  boolean flag(String name, boolean fallback) {
    return switch (values.getOrDefault(name, "")) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> fallback;
    };
  }

  /** The key as written, for notes. */
  String key(String name) {
    return keys.getOrDefault(name, NGINX + name);
  }
}
