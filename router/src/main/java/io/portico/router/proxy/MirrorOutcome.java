package io.portico.router.proxy;

/** What became of the copy of one request for its route's mirror. */
public enum MirrorOutcome {
  /** The copy was sent and answered (whatever the status; the answer is discarded). */
  SENT,
  /** The body was larger than a copy may hold: nothing was sent. */
  BODY_TOO_LARGE,
  /** Too many copies were in flight on the event loop: nothing was sent. */
  BUSY,
  /** The mirror has no endpoint: nothing was sent. */
  NO_ENDPOINT,
  /** The client's body did not arrive whole (the client left, the backend answered first). */
  INCOMPLETE,
  /** The copy could not be sent, or its answer did not come. */
  FAILED;

  /** The label value in metrics: {@code sent}, {@code body_too_large}, ... */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
