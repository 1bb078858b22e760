package io.portico.router.policy.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The counts of every client address a replica limits, bounded: at most {@code maxClients} (zone,
 * window, address) buckets are kept, and a bucket unused for longer than {@code idle} is dropped. A
 * dropped bucket was full of time anyway (a client silent for a minute has its whole burst back),
 * so eviction forgets nothing a limit needs, except under more distinct clients than the bound,
 * where the least used are forgotten first. Thread-safe: every event loop counts in the same
 * buckets, each updated atomically.
 */
public final class ClientBuckets {

  /** The bound the controller uses: a few megabytes of heap at most. */
  public static final int DEFAULT_MAX_CLIENTS = 100_000;

  private static final ClientBuckets SHARED =
      new ClientBuckets(DEFAULT_MAX_CLIENTS, Duration.ofMinutes(2));

  /** Which window a bucket counts. */
  private record Key(String zone, boolean minute, String address) {}

  /**
   * A leaky bucket as nginx's {@code limit_req} keeps it: the excess over the rate, in thousandths
   * of a request, as of {@code atMillis}; {@code admitted} says whether the last request passed.
   */
  private record Bucket(long excessMilli, long atMillis, boolean admitted) {}

  private final Cache<Key, Bucket> buckets;

  /**
   * @param maxClients the most buckets kept
   * @param idle how long an unused bucket is kept: at least the longest window (a minute)
   */
  public ClientBuckets(int maxClients, Duration idle) {
    this.buckets = Caffeine.newBuilder().maximumSize(maxClients).expireAfterAccess(idle).build();
  }

  /** The buckets every route of this process shares. */
  public static ClientBuckets shared() {
    return SHARED;
  }

  /**
   * Counts one request of {@code address} against {@code perWindow} requests per second ({@code
   * minute} false) or minute, with a burst of {@code burst} more; returns whether it is admitted. A
   * request over the limit leaves the bucket as it was, as nginx does.
   */
  boolean admit(String zone, boolean minute, String address, int perWindow, long burst) {
    long now = System.nanoTime() / 1_000_000;
    // Thousandths of a request that drain per millisecond: per second, rate; per minute, rate/60.
    long drainPerSecondMilli = minute ? perWindow * 1000L / 60 : perWindow * 1000L;
    Bucket after =
        buckets
            .asMap()
            .compute(
                new Key(zone, minute, address),
                (key, before) -> {
                  if (before == null) {
                    return new Bucket(0, now, true);
                  }
                  long elapsed = Math.max(0, now - before.atMillis());
                  long drained = drainPerSecondMilli * elapsed / 1000;
                  long excess = Math.max(0, before.excessMilli() - drained) + 1000;
                  if (excess > burst * 1000) {
                    return new Bucket(before.excessMilli(), before.atMillis(), false);
                  }
                  return new Bucket(excess, now, true);
                });
    return after.admitted();
  }

  /** How many buckets are kept now (after pending evictions), for tests and metrics. */
  public long size() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }
}
