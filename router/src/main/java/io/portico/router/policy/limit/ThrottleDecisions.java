package io.portico.router.policy.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * What this replica already knows to be over a global limit, and until when, so that a key over its
 * limit is answered without asking memcached again (ingress-nginx keeps the same decisions in a
 * shared dictionary). Bounded: at most {@code maxKeys} decisions, each dropped when it ends.
 * Thread-safe.
 */
public final class ThrottleDecisions {

  /** The bound the controller uses. */
  public static final int DEFAULT_MAX_KEYS = 100_000;

  private static final ThrottleDecisions SHARED = new ThrottleDecisions(DEFAULT_MAX_KEYS);

  private record Key(String zone, String sample) {}

  private final Cache<Key, Long> untilNanos;

  public ThrottleDecisions(int maxKeys) {
    this.untilNanos =
        Caffeine.newBuilder()
            .maximumSize(maxKeys)
            .expireAfter(
                new Expiry<Key, Long>() {
                  @Override
                  public long expireAfterCreate(Key key, Long until, long now) {
                    return Math.max(0, until - System.nanoTime());
                  }

                  @Override
                  public long expireAfterUpdate(Key key, Long until, long now, long left) {
                    return Math.max(0, until - System.nanoTime());
                  }

                  @Override
                  public long expireAfterRead(Key key, Long until, long now, long left) {
                    return left;
                  }
                })
            .build();
  }

  /** The decisions every route of this process shares. */
  public static ThrottleDecisions shared() {
    return SHARED;
  }

  /** Whether {@code sample} of {@code zone} is known to be over its limit now. */
  boolean over(String zone, String sample) {
    Long until = untilNanos.getIfPresent(new Key(zone, sample));
    return until != null && until - System.nanoTime() > 0;
  }

  /** Remembers that {@code sample} of {@code zone} is over its limit for {@code millis}. */
  void remember(String zone, String sample, long millis) {
    // As ingress-nginx: a decision shorter than a millisecond is not worth keeping.
    if (millis >= 1) {
      untilNanos.put(new Key(zone, sample), System.nanoTime() + millis * 1_000_000);
    }
  }

  /** How many decisions are kept now, for tests. */
  public long size() {
    untilNanos.cleanUp();
    return untilNanos.estimatedSize();
  }
}
