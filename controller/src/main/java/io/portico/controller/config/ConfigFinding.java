package io.portico.controller.config;

import static java.util.Objects.requireNonNull;

/**
 * Something reading the controller ConfigMap noticed about one key. Translation turns it into a
 * finding on the ConfigMap.
 *
 * @param kind what it is
 * @param key the key as written in the ConfigMap
 * @param message one sentence, naming the key and the value
 */
public record ConfigFinding(Kind kind, String key, String message) {

  /** What was noticed. */
  public enum Kind {
    /** A value that does not read: the default applies. A warning. */
    INVALID_VALUE("InvalidConfigValue"),
    /** A key Portico does not read (ingress-nginx has many more): ignored. A notice. */
    UNKNOWN_KEY("UnknownConfigKey"),
    /** A key that applies at start changed while running: the value read at start stays. */
    RESTART_NEEDED("ConfigRestartNeeded");

    private final String reason;

    Kind(String reason) {
      this.reason = reason;
    }

    /** The CamelCase reason of the finding, stable for alerts. */
    public String reason() {
      return reason;
    }
  }

  public ConfigFinding {
    requireNonNull(kind, "kind");
    requireNonNull(key, "key");
    requireNonNull(message, "message");
  }
}
