package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ObjectKey;

/**
 * Something the Gateway API logic noticed about an object that its status cannot say, such as an
 * object the API server's validation would have rejected, which is therefore not served.
 *
 * @param kind the object's kind
 * @param key the object's key
 * @param reason a short CamelCase reason, e.g. {@code InvalidObject}
 * @param message one sentence naming the field
 */
public record GatewayFinding(String kind, ObjectKey key, String reason, String message)
    implements Comparable<GatewayFinding> {

  public GatewayFinding {
    requireNonNull(kind, "kind");
    requireNonNull(key, "key");
    requireNonNull(reason, "reason");
    requireNonNull(message, "message");
  }

  @Override
  public int compareTo(GatewayFinding other) {
    int byKind = kind.compareTo(other.kind);
    if (byKind != 0) {
      return byKind;
    }
    int byKey = key.compareTo(other.key);
    return byKey != 0 ? byKey : message.compareTo(other.message);
  }

  @Override
  public String toString() {
    return "WARNING " + kind + " " + key + " " + reason + ": " + message;
  }
}
