package io.portico.router.proxy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cap on client connections of one process, over all listeners and event loops ({@code
 * --max-connections}, as nginx's {@code worker_connections} caps a worker): a connection beyond it
 * is closed as soon as it is accepted, which keeps the memory that connections can make Portico
 * hold bounded. Off (no cap) by default. Thread-safe: every event loop counts here.
 */
final class ConnectionLimit {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  /**
   * @param max the most connections open at once; 0 for no cap
   */
  ConnectionLimit(int max) {
    this.max = max;
  }

  /** Counts a new connection; false (and not counted) when the cap is reached. */
  boolean tryOpen() {
    if (max == 0) {
      return true;
    }
    if (open.incrementAndGet() <= max) {
      return true;
    }
    open.decrementAndGet();
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      LOG.warn(
          "event=connection_limit_reached max_connections={} detail=\"new connections are closed"
              + " at once until others close\"",
          max);
    }
    return false;
  }

  /** A counted connection closed. */
  void closed() {
    if (max != 0) {
      open.decrementAndGet();
    }
  }
}
