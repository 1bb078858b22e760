package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ObjectKey;
import java.util.List;

/**
 * A Gateway listener Portico serves: accepted, on a local port, with its certificates for HTTPS.
 *
 * @param gateway the Gateway's key
 * @param listener the listener as read
 * @param local the local port serving it
 * @param certificates the Secrets of its usable certificates, in order (HTTPS)
 */
public record ServedListener(
    ObjectKey gateway, ListenerView listener, LocalPort local, List<ObjectKey> certificates) {

  public ServedListener {
    requireNonNull(gateway, "gateway");
    requireNonNull(listener, "listener");
    requireNonNull(local, "local");
    certificates = List.copyOf(certificates);
  }

  /** {@code infra/same-namespace/http}. */
  public String describe() {
    return gateway + "/" + listener.name();
  }
}
