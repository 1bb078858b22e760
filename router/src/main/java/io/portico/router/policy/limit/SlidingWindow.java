package io.portico.router.policy.limit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * The approximate sliding window of ingress-nginx's global rate limits (lua-resty-global-throttle),
 * counted in {@link SharedCounters} so that every replica counts the same requests.
 *
 * <p>Time is cut into fixed windows of {@code window} seconds, the same for every replica (they
 * read the wall clock). Each key has one count per window. A request is over the limit when the
 * count of its window, plus the previous window's rate carried over the part of this window still
 * to come, reaches the limit: {@code previous × remaining / window + current >= limit}, the
 * previous count capped at the limit (a race may push a count past it). A request within the limit
 * is counted; if the count, without it, had meanwhile reached the limit (other replicas counted
 * first), it is over after all. An over-limit request is not counted, and its answer says how long
 * the key stays over: the rest of the window when its own count is full, else until the
 * carried-over share of the previous window has shrunk enough to let one more in.
 *
 * <p>Counts are kept at keys derived from the zone, the key value and the window number (hashed, so
 * that no client's address or header is stored in memcached and every key is short and valid),
 * expiring after two windows.
 */
public final class SlidingWindow {

  /** What the window decided for one request. */
  public record Verdict(boolean over, long delayMillis, double estimate) {

    static Verdict within(double estimate) {
      return new Verdict(false, 0, estimate);
    }

    static Verdict over(long delayMillis, double estimate) {
      return new Verdict(true, delayMillis, estimate);
    }
  }

  private final SharedCounters counters;
  private final LongSupplier wallClockMillis;

  /**
   * @param counters where the counts are kept
   * @param wallClockMillis the time, in milliseconds since the epoch, the same for every replica
   */
  public SlidingWindow(SharedCounters counters, LongSupplier wallClockMillis) {
    this.counters = counters;
    this.wallClockMillis = wallClockMillis;
  }

  /**
   * Decides one request of {@code sample} against {@code limit} requests per {@code windowSeconds}
   * in {@code zone}, counting it when it is within.
   */
  public CompletionStage<Verdict> process(
      String zone, String sample, int limit, int windowSeconds) {
    long windowMillis = windowSeconds * 1000L;
    long now = wallClockMillis.getAsLong();
    long window = Math.floorDiv(now, windowMillis);
    String prefix = prefix(zone, sample);
    String current = prefix + "." + window;
    String previous = prefix + "." + (window - 1);
    long remaining = windowMillis - Math.floorMod(now, windowMillis);
    return counters
        .counts(List.of(current, previous))
        .thenCompose(
            counts -> {
              long count = counts[0];
              if (count >= limit) {
                return CompletableFuture.completedFuture(Verdict.over(remaining, count));
              }
              double previousRate = (double) Math.min(counts[1], limit) / windowMillis;
              double estimate = previousRate * remaining + count;
              if (estimate >= limit) {
                long delay =
                    previousRate == 0
                        ? remaining
                        : (long) Math.ceil(remaining - (limit - count) / previousRate);
                // As the library does, an estimate that cannot be turned into a wait admits.
                if (delay <= 0 || delay > windowMillis) {
                  return CompletableFuture.completedFuture(Verdict.within(estimate));
                }
                return CompletableFuture.completedFuture(Verdict.over(delay, estimate));
              }
              return counters
                  .increment(current, windowSeconds * 2)
                  .thenApply(
                      after -> {
                        long before = after - 1;
                        if (before >= limit) {
                          long left =
                              windowMillis
                                  - Math.floorMod(wallClockMillis.getAsLong(), windowMillis);
                          return Verdict.over(left, before);
                        }
                        return Verdict.within(estimate);
                      });
            });
  }

  /** A short, valid memcached key for (zone, sample): 32 hexadecimal digits of SHA-256. */
  static String prefix(String zone, String sample) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(zone.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(sample.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256: not available", e);
    }
  }
}
