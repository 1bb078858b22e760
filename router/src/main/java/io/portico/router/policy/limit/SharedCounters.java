package io.portico.router.policy.limit;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Counters every replica sees (memcached's, in Portico), used by {@link SlidingWindow}. Both
 * methods are called on a request's event loop, return at once, and may complete on any thread; a
 * counter that cannot be reached fails the stage.
 */
public interface SharedCounters {

  /** The counts at {@code keys}, in the same order; 0 for a key without one. */
  CompletionStage<long[]> counts(List<String> keys);

  /**
   * Counts one more at {@code key}; the count after it. A new count expires {@code expirySeconds}
   * after it was made.
   */
  CompletionStage<Long> increment(String key, int expirySeconds);
}
