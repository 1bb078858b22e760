package io.portico.controller.translate;

import org.jspecify.annotations.Nullable;

/**
 * The path rules the Kubernetes API server enforces for {@code Exact} and {@code Prefix} paths.
 * Objects from a manifest folder never met the API server, so Portico checks them itself.
 */
final class IngressPaths {

  private IngressPaths() {}

  /** Why an {@code Exact} or {@code Prefix} path is invalid, or {@code null} when it is valid. */
  static @Nullable String problem(@Nullable String path) {
    if (path == null || path.isEmpty()) {
      return "the path is empty";
    }
    if (path.charAt(0) != '/') {
      return "the path must start with /";
    }
    for (String forbidden : new String[] {"//", "/./", "/../", "%2f", "%2F", "#"}) {
      if (path.contains(forbidden)) {
        return "the path must not contain '" + forbidden + "'";
      }
    }
    if (path.endsWith("/..") || path.endsWith("/.")) {
      return "the path must not end with '/..' or '/.'";
    }
    return null;
  }
}
