package io.portico.controller.translate;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads Portico's Ingress annotations. Each is honoured under the {@code portico.io/} prefix and,
 * where ingress-nginx has the same annotation, under {@code nginx.ingress.kubernetes.io/} too, so
 * Ingresses move over without rewriting; the {@code portico.io/} spelling wins when both are set.
 */
final class IngressAnnotations {

  static final String PORTICO_PREFIX = "portico.io/";
  static final String NGINX_PREFIX = "nginx.ingress.kubernetes.io/";

  private final Map<String, String> annotations;

  IngressAnnotations(Ingress ingress) {
    Map<String, String> raw = ingress.getMetadata().getAnnotations();
    this.annotations = raw == null ? Map.of() : raw;
  }

  /** The value of {@code name} under either prefix, trimmed; empty when unset. */
  Optional<String> get(String name) {
    String value = annotations.get(PORTICO_PREFIX + name);
    if (value == null) {
      value = annotations.get(NGINX_PREFIX + name);
    }
    return Optional.ofNullable(value).map(String::trim);
  }

  /** The names set under either prefix, without it, sorted. */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (String key : annotations.keySet()) {
      if (key.startsWith(PORTICO_PREFIX)) {
        names.add(key.substring(PORTICO_PREFIX.length()));
      } else if (key.startsWith(NGINX_PREFIX)) {
        names.add(key.substring(NGINX_PREFIX.length()));
      }
    }
    return names;
  }

  /** The full annotation key that supplied {@code name}, for messages. */
  String keyOf(String name) {
    return annotations.containsKey(PORTICO_PREFIX + name)
        ? PORTICO_PREFIX + name
        : NGINX_PREFIX + name;
  }
}
