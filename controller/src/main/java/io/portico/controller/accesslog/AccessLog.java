package io.portico.controller.accesslog;

import static java.util.Objects.requireNonNull;

import io.portico.router.proxy.RequestRecord;
import io.portico.router.proxy.TrafficObserver;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per request to standard output (Portico's own log goes to standard error),
 * without blocking an event loop: the event loop copies the request into an entry and queues it
 * without a lock; one writer thread formats and writes. When the writer falls behind by {@value
 * #CAPACITY} lines, new lines are dropped and counted rather than slowing requests down.
 */
public final class AccessLog implements TrafficObserver, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
  static final int CAPACITY = 65_536;

  private final AccessLogFormat format;
  private final boolean withQuery;
  private final PrintStream out;
  private final ConcurrentLinkedQueue<AccessLogEntry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final Thread writer;
  private volatile boolean running = true;

  /**
   * @param withQuery whether lines carry query strings (they may hold tokens: off by default)
   * @param out where lines go, usually standard output
   */
  public AccessLog(AccessLogFormat format, boolean withQuery, OutputStream out) {
    this.format = requireNonNull(format, "format");
    this.withQuery = withQuery;
    this.out = new PrintStream(out, false, StandardCharsets.UTF_8);
    this.writer = new Thread(this::write, "portico-access-log");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  @Override
  public void requestEnded(RequestRecord record) {
    if (queued.incrementAndGet() > CAPACITY) {
      queued.decrementAndGet();
      dropped.increment();
      return;
    }
    queue.offer(AccessLogEntry.of(record, withQuery));
    LockSupport.unpark(writer);
  }

  private void write() {
    StringBuilder line = new StringBuilder(256);
    long reportedDrops = 0;
    while (running || !queue.isEmpty()) {
      AccessLogEntry entry = queue.poll();
      if (entry == null) {
        out.flush();
        long drops = dropped.sum();
        if (drops > reportedDrops) {
          LOG.warn(
              "event=access_log_dropped lines={} (the writer could not keep up)",
              drops - reportedDrops);
          reportedDrops = drops;
        }
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
        continue;
      }
      queued.decrementAndGet();
      line.setLength(0);
      if (format == AccessLogFormat.JSON) {
        line.append(entry.toJson().encode());
      } else {
        entry.appendText(line);
      }
      out.println(line);
    }
    out.flush();
  }

  /** Writes what is queued, then stops the writer. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(writer);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
