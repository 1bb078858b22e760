package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.route.ResponseRate;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Paces one response body to the client as a route's {@link ResponseRate} says ({@code limit-rate},
 * {@code limit-rate-after}): the first bytes at once, then no byte before its time, the backend's
 * response paused meanwhile and resumed from a timer on the event loop. Made only for a route with
 * a limit, so that others pay nothing for it.
 *
 * <p>The clock starts with the first paced byte, and a piece goes only once the rate has paid for
 * it whole, so the paced part of a body of N bytes takes at least N / rate seconds. Pieces are at
 * most an eighth of a second's worth, so that a slow rate trickles rather than bursts.
 */
final class ResponsePacer {

  private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  private final Vertx vertx;
  private final HttpClientResponse source;
  private final HttpServerResponse sink;
  private final long bytesPerSecond;
  private final int piece;
  private final Runnable onDrained;
  // Bytes still to send at full speed.
  private long fullSpeed;
  // Paced bytes sent, and when the first of them was ready to go.
  private long paced;
  private long pacedSince;
  private boolean clockStarted;
  // The chunk being sent, from offset; the backend's response is paused while there is one.
  private @Nullable Buffer held;
  private int offset;
  private long timer = -1;
  private boolean stopped;
  // The backend's response ended while a chunk was in hand.
  private boolean ending;

  /**
   * @param onDrained runs when the chunk in hand has gone after the backend's response ended
   */
  ResponsePacer(
      Vertx vertx,
      HttpClientResponse source,
      HttpServerResponse sink,
      ResponseRate rate,
      Runnable onDrained) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.source = requireNonNull(source, "source");
    this.sink = requireNonNull(sink, "sink");
    this.bytesPerSecond = rate.bytesPerSecond();
    this.piece = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytesPerSecond / 8));
    this.fullSpeed = rate.fullSpeedBytes();
    this.onDrained = requireNonNull(onDrained, "onDrained");
  }

  /** Takes the backend's next chunk, pausing the backend until it has gone. */
  void offer(Buffer chunk) {
    if (stopped) {
      return;
    }
    held = chunk;
    offset = 0;
    source.pause();
    send();
  }

  /** Whether a chunk is still in hand, to go before the client's response may end. */
  boolean holding() {
    return held != null;
  }

  /** The backend's response ended: {@code onDrained} runs once the chunk in hand has gone. */
  void endAfterHeld() {
    ending = true;
  }

  /** No more is sent: the response failed or the client went away. */
  void stop() {
    stopped = true;
    held = null;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void send() {
    if (timer >= 0) {
      // A drain handler of an earlier write came while the timer waits: the timer goes on.
      return;
    }
    while (!stopped) {
      Buffer chunk = held;
      if (chunk == null) {
        source.resume();
        return;
      }
      if (sink.closed()) {
        stop();
        return;
      }
      int left = chunk.length() - offset;
      int size;
      if (fullSpeed > 0) {
        size = (int) Math.min(left, fullSpeed);
        fullSpeed -= size;
      } else {
        size = Math.min(left, piece);
        long now = System.nanoTime();
        if (!clockStarted) {
          clockStarted = true;
          pacedSince = now;
        }
        long due = pacedSince + dueAfterNanos(paced + size);
        if (due - now > 0) {
          long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - now + 999_999));
          timer =
              vertx.setTimer(
                  millis,
                  fired -> {
                    timer = -1;
                    send();
                  });
          return;
        }
        paced += size;
      }
      sink.write(
          offset == 0 && size == chunk.length() ? chunk : chunk.getBuffer(offset, offset + size));
      offset += size;
      if (offset == chunk.length()) {
        held = null;
        if (ending) {
          onDrained.run();
          return;
        }
      }
      if (sink.writeQueueFull()) {
        sink.drainHandler(drained -> send());
        return;
      }
    }
  }

  /** Nanoseconds the rate takes to pay for {@code bytes}. */
  private long dueAfterNanos(long bytes) {
    // bytes * 1e9 overflows past 9.2 GB; the division first loses nothing that matters then.
    if (bytes < Long.MAX_VALUE / NANOS_PER_SECOND) {
      return bytes * NANOS_PER_SECOND / bytesPerSecond;
    }
    return bytes / bytesPerSecond * NANOS_PER_SECOND;
  }
}
