package io.portico.tls;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A checked OCSP response for one certificate, ready to be stapled: its DER encoding, as the
 * responder sent it, and the period it covers.
 */
public final class OcspStaple {

  private final byte[] encoded;
  private final Instant thisUpdate;
  private final @Nullable Instant nextUpdate;

  OcspStaple(byte[] encoded, Instant thisUpdate, @Nullable Instant nextUpdate) {
    this.encoded = requireNonNull(encoded, "encoded").clone();
    this.thisUpdate = requireNonNull(thisUpdate, "thisUpdate");
    this.nextUpdate = nextUpdate;
  }

  /**
   * The DER-encoded {@code OCSPResponse}. The array is shared, not copied, so that handshakes pay
   * nothing for it: callers must not modify it.
   */
  public byte[] encoded() {
    return encoded;
  }

  /** When the responder says the status was known to be correct. */
  public Instant thisUpdate() {
    return thisUpdate;
  }

  /**
   * When newer information will be available, after which the response must not be stapled; empty
   * when the responder did not say (RFC 6960 section 4.2.2.1: newer information is always
   * available).
   */
  public Optional<Instant> nextUpdate() {
    return Optional.ofNullable(nextUpdate);
  }

  @Override
  public String toString() {
    return "OcspStaple{thisUpdate="
        + thisUpdate
        + ", nextUpdate="
        + nextUpdate
        + ", bytes="
        + encoded.length
        + '}';
  }
}
