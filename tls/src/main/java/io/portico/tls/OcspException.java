package io.portico.tls;

/**
 * An OCSP response that cannot be stapled, or a certificate whose status cannot be asked for. The
 * message says why, for a log line, for example {@code status: revoked at 2026-12-01T10:00:00Z
 * (expected: good)}.
 */
public final class OcspException extends Exception {

  public OcspException(String message) {
    super(message);
  }

  public OcspException(String message, Throwable cause) {
    super(message, cause);
  }
}
