package io.portico.tls;

import static java.util.Objects.requireNonNull;

/**
 * What checking a client's certificate chain against a {@link ClientCertificateAuthority} found.
 *
 * @param outcome whether the chain checked out, and if not, how it failed
 * @param reason for a failure, OpenSSL's wording of it ({@code certificate has expired}, {@code
 *     unable to get local issuer certificate}, ...), as nginx reports it in {@code
 *     $ssl_client_verify}; empty on success
 */
public record ClientVerification(Outcome outcome, String reason) {

  /** The ways a check ends. */
  public enum Outcome {
    /** The chain leads to a trusted CA within the allowed depth, and every certificate is valid. */
    VERIFIED,
    /**
     * The chain does not lead to a trusted CA (a self-signed certificate, an unknown issuer): what
     * nginx's {@code optional_no_ca} lets through.
     */
    UNTRUSTED,
    /**
     * The chain is unusable whoever the CA: expired or not yet valid, revoked, too long, or a
     * certificate not meant for client authentication.
     */
    INVALID
  }

  /** A chain that checked out. */
  public static final ClientVerification VERIFIED = new ClientVerification(Outcome.VERIFIED, "");

  public ClientVerification {
    requireNonNull(outcome, "outcome");
    requireNonNull(reason, "reason");
    if ((outcome == Outcome.VERIFIED) != reason.isEmpty()) {
      throw new IllegalArgumentException(
          "reason: \"" + reason + "\" (expected: empty exactly when verified)");
    }
  }

  static ClientVerification untrusted(String reason) {
    return new ClientVerification(Outcome.UNTRUSTED, reason);
  }

  static ClientVerification invalid(String reason) {
    return new ClientVerification(Outcome.INVALID, reason);
  }

  /** Whether the chain checked out. */
  public boolean verified() {
    return outcome == Outcome.VERIFIED;
  }

  /**
   * The value nginx gives {@code $ssl_client_verify} for this result: {@code SUCCESS} or {@code
   * FAILED:} followed by the reason.
   */
  public String headerValue() {
    return verified() ? "SUCCESS" : "FAILED:" + reason;
  }
}
