package io.portico.controller.gateway;

import io.portico.controller.snapshot.ObjectKey;
import java.util.Optional;

/**
 * What the Gateway API logic needs to know of the objects routes and listeners refer to, answered
 * by whoever holds them (the snapshot, in translation; a fixture, in tests).
 */
public interface GatewayReferences {

  /**
   * Why the Secret cannot serve as a listener certificate ({@code not found}, {@code tls.crt is not
   * PEM}, ...), or empty when it can.
   */
  Optional<String> certificateProblem(ObjectKey secret);

  /** Whether the Service exists. */
  boolean serviceExists(ObjectKey service);

  /**
   * The labels of a Namespace, {@code kubernetes.io/metadata.name} included, which the API server
   * always sets; for a Namespace that is not known, that label alone.
   */
  java.util.Map<String, String> namespaceLabels(String namespace);
}
