package io.portico.controller.status;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Whether this replica holds the Lease, by its own monotonic clock rather than by what the elector
 * last said: the Lease is held from a successful write of this replica's name into it until {@code
 * validity} after that write was started. The start is what counts, because the renew time the
 * write records, which other replicas compare with their own clocks, is taken before it is sent.
 *
 * <p>The validity is shorter than the Lease duration: the rest is the margin that covers a write
 * still in flight and clock skew between nodes, so that no write lands once another replica may
 * take the Lease. An elector stuck in a slow API call, or not yet told that the Lease was lost,
 * does not extend it.
 */
final class LeaseHold {

  private final long validityNanos;
  private final LongSupplier nanoTime;
  private boolean holding;
  private long renewStartedAt;
  private long validUntil;
  private boolean lapseReported;

  /**
   * @param validity how long after the start of its last successful renewal the Lease counts as
   *     held
   * @param nanoTime the monotonic clock ({@link System#nanoTime()} outside tests)
   */
  LeaseHold(Duration validity, LongSupplier nanoTime) {
    requireNonNull(validity, "validity");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity: " + validity + " (expected: positive)");
    }
    this.validityNanos = validity.toNanos();
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
  }

  /** The current reading of the monotonic clock, to pass to {@link #renewed} later. */
  long now() {
    return nanoTime.getAsLong();
  }

  /**
   * A write that names this replica the holder, started at {@code startedAt}, succeeded.
   *
   * @return true when the Lease had lapsed by this clock and is held again: writes dropped in the
   *     meantime must be made now
   */
  synchronized boolean renewed(long startedAt) {
    long now = nanoTime.getAsLong();
    boolean lapsed = holding && now - validUntil >= 0;
    long until = startedAt + validityNanos;
    if (!holding || until - validUntil > 0) {
      validUntil = until;
      renewStartedAt = startedAt;
    }
    holding = true;
    boolean heldNow = now - validUntil < 0;
    if (heldNow) {
      lapseReported = false;
    }
    return lapsed && heldNow;
  }

  /** This replica released the Lease, or saw another holder in it. */
  synchronized void released() {
    holding = false;
  }

  /** Whether a write may be made now. */
  synchronized boolean held() {
    return holding && nanoTime.getAsLong() - validUntil < 0;
  }

  /**
   * Once per lapse: how long ago the last successful renewal started, when the Lease has run out by
   * this clock without being released; empty otherwise, and on every later call until the next
   * renewal.
   */
  synchronized Optional<Duration> newLapse() {
    long now = nanoTime.getAsLong();
    if (!holding || lapseReported || now - validUntil < 0) {
      return Optional.empty();
    }
    lapseReported = true;
    return Optional.of(Duration.ofNanos(now - renewStartedAt));
  }
}
