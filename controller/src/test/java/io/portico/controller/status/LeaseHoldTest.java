package io.portico.controller.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Lease by the replica's own clock, on a clock the test moves. */
class LeaseHoldTest {

  private long now = 1_000_000_000L;
  private final LeaseHold hold = new LeaseHold(Duration.ofSeconds(10), () -> now);

  private void advance(Duration by) {
    now += by.toNanos();
  }

  @Test
  void heldOnlyAfterASuccessfulWriteAndUntilTheValidityFromItsStart() {
    assertFalse(hold.held(), "before any renewal");
    long started = hold.now();
    advance(Duration.ofSeconds(3));
    assertFalse(hold.renewed(started), "a first acquisition is not a regained Lease");
    assertTrue(hold.held());
    advance(Duration.ofMillis(6_999));
    assertTrue(hold.held(), "9.999 s after the write started");
    advance(Duration.ofMillis(1));
    assertFalse(hold.held(), "10 s after the write started, not after it returned");
  }

  @Test
  void aReleaseEndsItAtOnce() {
    hold.renewed(hold.now());
    hold.released();
    assertFalse(hold.held());
    assertEquals(Optional.empty(), hold.newLapse(), "a release is not a lapse");
  }

  @Test
  void aLapseIsReportedOnceAndARenewalAfterItRegainsTheLease() {
    long started = hold.now();
    hold.renewed(started);
    assertEquals(Optional.empty(), hold.newLapse());
    advance(Duration.ofSeconds(12));
    assertFalse(hold.held());
    assertEquals(Optional.of(Duration.ofSeconds(12)), hold.newLapse());
    assertEquals(Optional.empty(), hold.newLapse(), "reported once");

    assertTrue(hold.renewed(hold.now()), "held again after a lapse");
    assertTrue(hold.held());
    advance(Duration.ofSeconds(11));
    assertEquals(Optional.of(Duration.ofSeconds(11)), hold.newLapse(), "the next lapse");
  }

  @Test
  void aLateAnswerToAnOldWriteNeitherExtendsNorRegainsTheLease() {
    long old = hold.now();
    advance(Duration.ofSeconds(2));
    hold.renewed(hold.now());
    assertFalse(hold.renewed(old), "an older write answering last");
    advance(Duration.ofMillis(9_500));
    assertTrue(hold.held(), "still valid from the newer write");

    long stale = hold.now();
    advance(Duration.ofSeconds(11));
    assertFalse(hold.renewed(stale), "a write that started long ago, already past its validity");
    assertFalse(hold.held());
  }
}
