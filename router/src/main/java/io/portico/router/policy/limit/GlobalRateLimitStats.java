package io.portico.router.policy.limit;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the global rate limits of this process did, for metrics: requests answered over a limit, and
 * requests let through because the counters could not be reached (failing open, as ingress-nginx
 * does). A failure is logged as {@code event=global_rate_limit_failed}, at most once a second, with
 * how many failed since the last line, so that memcached being down does not flood the log with one
 * line per request.
 */
public final class GlobalRateLimitStats {

  private static final Logger LOG = LoggerFactory.getLogger(GlobalRateLimitStats.class);

  private static final GlobalRateLimitStats SHARED = new GlobalRateLimitStats();

  private final LongAdder limited = new LongAdder();
  private final LongAdder failedOpen = new LongAdder();
  private final AtomicLong unlogged = new AtomicLong();
  private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - 2_000_000_000L);

  /** The counts of every route of this process. */
  public static GlobalRateLimitStats shared() {
    return SHARED;
  }

  /** Requests answered with the limit's status. */
  public long limited() {
    return limited.sum();
  }

  /** Requests let through because the shared counters failed. */
  public long failedOpen() {
    return failedOpen.sum();
  }

  void countLimited() {
    limited.increment();
  }

  void countFailedOpen(String zone, Throwable cause) {
    failedOpen.increment();
    long failures = unlogged.incrementAndGet();
    long last = lastLogNanos.get();
    long now = System.nanoTime();
    if (now - last >= 1_000_000_000L && lastLogNanos.compareAndSet(last, now)) {
      unlogged.addAndGet(-failures);
      LOG.warn(
          "event=global_rate_limit_failed ingress={} failures={} cause=\"{}\" action=allowed",
          zone,
          failures,
          cause.getMessage());
    }
  }
}
