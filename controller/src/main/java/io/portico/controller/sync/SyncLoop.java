package io.portico.controller.sync;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.source.ChangeListener;
import io.portico.controller.translate.Translation;
import io.portico.controller.translate.Translator;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs translations on one thread: the stage of the change pipeline between the source and the
 * translator. Sources tell it of every change ({@link ChangeListener}); the loop waits a short
 * holdoff so that a burst of changes becomes one translation, but never longer than a cap after the
 * first change of the burst, so a steady stream of changes cannot starve it. Each translation reads
 * the source's latest snapshot and goes to the listener. Nothing is translated before {@link
 * #start()}, which follows once the source holds a complete view. A failed translation is logged
 * and the last good configuration keeps serving (the translator starts the next one from scratch).
 */
public final class SyncLoop implements ChangeListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

  private final Supplier<ClusterSnapshot> snapshots;
  private final Translator translator;
  private final TranslationListener listener;
  private final long holdoffNanos;
  private final long maxDelayNanos;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread t = new Thread(runnable, "portico-sync");
            t.setDaemon(true);
            return t;
          });

  private boolean started;
  private boolean dirty;
  private long burstStartNanos;
  private @Nullable String firstReason;
  private int requests;
  private @Nullable ScheduledFuture<?> pending;

  /**
   * @param snapshots the current state of the source, read on the sync thread
   * @param listener receives each translation and how long it took, on the sync thread
   * @param holdoff how long to wait for more changes after the last one
   * @param maxDelay the longest a change waits for its translation
   */
  public SyncLoop(
      Supplier<ClusterSnapshot> snapshots,
      Translator translator,
      TranslationListener listener,
      Duration holdoff,
      Duration maxDelay) {
    this.snapshots = requireNonNull(snapshots, "snapshots");
    this.translator = requireNonNull(translator, "translator");
    this.listener = requireNonNull(listener, "listener");
    this.holdoffNanos = holdoff.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
  }

  /** Allows translations from now on, and runs the first one at once. */
  public synchronized void start() {
    started = true;
    dirty = true;
    if (firstReason == null) {
      firstReason = "initial sync";
    }
    schedule(0);
  }

  /** Records that something changed; a translation follows after the holdoff. */
  public synchronized void requestRebuild(String reason) {
    request(reason, holdoffNanos);
  }

  /**
   * Records a change that its source has already coalesced (the manifest folder waits for a burst
   * of file events to settle and reads it as one): the translation follows at once, without a
   * second holdoff, still one at a time.
   */
  public synchronized void requestRebuildNow(String reason) {
    request(reason, 0);
  }

  /** A change from a source: a translation follows after the holdoff. */
  @Override
  public void changed(String reason) {
    requestRebuild(reason);
  }

  /** A change its source has already coalesced: a translation follows at once. */
  @Override
  public void changedSettled(String reason) {
    requestRebuildNow(reason);
  }

  private void request(String reason, long holdoff) {
    long now = System.nanoTime();
    requests++;
    if (!dirty) {
      dirty = true;
      burstStartNanos = now;
      firstReason = reason;
    }
    if (!started) {
      return;
    }
    long deadline = Math.min(now + holdoff, burstStartNanos + maxDelayNanos);
    schedule(Math.max(0, deadline - now));
  }

  private void schedule(long delayNanos) {
    if (pending != null) {
      pending.cancel(false);
    }
    pending = thread.schedule(this::translateNow, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void translateNow() {
    String reason;
    int coalesced;
    synchronized (this) {
      if (!dirty) {
        return;
      }
      dirty = false;
      reason = firstReason;
      coalesced = requests;
      requests = 0;
      firstReason = null;
    }
    long start = System.nanoTime();
    try {
      Translation translation = translator.translate(snapshots.get());
      listener.translated(translation, System.nanoTime() - start);
      LOG.debug(
          "event=sync reason=\"{}\" changes={} took_ms={}",
          reason,
          coalesced,
          (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException e) {
      LOG.error(
          "event=translation_failed reason=\"{}\" error=\"{}\"; the last good configuration keeps serving",
          reason,
          e.toString(),
          e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
