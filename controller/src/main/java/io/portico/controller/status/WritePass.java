package io.portico.controller.status;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.function.BooleanSupplier;

/**
 * One pass of the leader's writes (events, then status). The writers ask it right before each
 * request whether the Lease is still held, and tell it of each request that failed; afterwards it
 * says whether anything was dropped and whether the pass should be made again.
 *
 * <p>Writes go through a client that does not retry (a retried write could land after the Lease ran
 * out), so a failure that another try may cure (no answer in time, no connection, 429, 5xx) asks
 * for another pass instead, made only while the Lease is held.
 */
final class WritePass {

  private final BooleanSupplier leaseHeld;
  private int dropped;
  private boolean again;

  WritePass(BooleanSupplier leaseHeld) {
    this.leaseHeld = requireNonNull(leaseHeld, "leaseHeld");
  }

  /** Whether the next request may be sent: only while the Lease is held. */
  boolean mayWrite() {
    if (leaseHeld.getAsBoolean()) {
      return true;
    }
    dropped++;
    return false;
  }

  /**
   * A request failed.
   *
   * @return true when another try may succeed: the pass will be made again
   */
  boolean failed(KubernetesClientException failure) {
    int code = failure.getCode();
    boolean worthRetrying =
        code == 0
            || code == HttpURLConnection.HTTP_CLIENT_TIMEOUT
            || code == 429
            || code >= HttpURLConnection.HTTP_INTERNAL_ERROR;
    again |= worthRetrying;
    return worthRetrying;
  }

  /** How many writes were not sent because the Lease was not held. */
  int dropped() {
    return dropped;
  }

  /** Whether a failed write asks for another pass. */
  boolean again() {
    return again;
  }
}
