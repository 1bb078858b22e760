package io.portico.router.access;

import java.util.Locale;
import java.util.Optional;

/** ingress-nginx's {@code auth-tls-verify-client}: nginx's {@code ssl_verify_client}. */
public enum ClientVerifyMode {
  /** A client certificate is required and must check out (the default). */
  ON,
  /** No certificate is asked for; the upstream headers say {@code NONE}. */
  OFF,
  /** A certificate is asked for; one that is sent must check out, none is let through. */
  OPTIONAL,
  /**
   * A certificate is asked for; one whose chain does not lead to the CA is let through (its failure
   * is passed upstream), as is none. A certificate that is expired, revoked or otherwise unusable
   * still fails.
   */
  OPTIONAL_NO_CA;

  /**
   * The annotation's spelling: {@code on}, {@code off}, {@code optional}, {@code optional_no_ca}.
   */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode an annotation value names, exactly as spelled; empty for anything else. */
  public static Optional<ClientVerifyMode> parse(String value) {
    for (ClientVerifyMode mode : values()) {
      if (mode.value().equals(value)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }

  /** Whether the TLS handshake asks the client for a certificate. */
  public boolean requestsCertificate() {
    return this != OFF;
  }
}
