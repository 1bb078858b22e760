package io.portico.router.proxy;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Closes an HTTP/1.x connection whose answer went out while the client was still sending a request
 * body that nothing will read (a 413 for a body over the limit, say), the way nginx's {@code
 * lingering_close} does.
 *
 * <p>Closing at once would leave the body's unread bytes in the kernel's receive buffer, and a
 * socket closed with unread bytes sends a reset instead of a FIN: a client still writing its body
 * then fails on the reset, often before it has read the answer that was already on its way. So the
 * rest of the body is read and dropped, and the connection closes when the body ends, when the
 * client stops sending for {@link #IDLE_MILLIS} (nginx's {@code lingering_timeout}), or after
 * {@link #MAX_MILLIS} in all (nginx's {@code lingering_time}), whichever comes first: a client that
 * drips its body cannot hold the connection for longer than that.
 */
final class LingeringClose {

  /** The longest the client may send nothing before the connection closes (nginx: 5 s). */
  static final long IDLE_MILLIS = 5_000;

  /** The longest the rest of a body is read for, in all (nginx: 30 s). */
  static final long MAX_MILLIS = 30_000;

  private final HttpServerRequest request;
  private final long deadline;
  private long lastRead;
  private @Nullable ScheduledFuture<?> timer;
  private boolean closed;

  private LingeringClose(HttpServerRequest request) {
    this.request = request;
    this.lastRead = System.nanoTime();
    this.deadline = lastRead + TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS);
  }

  /**
   * Closes {@code request}'s connection once the answer has been written: at once when the request
   * has been read to its end, else after the rest of its body is read and dropped (see above).
   * Called on the connection's event loop, after the response ended.
   */
  static void after(HttpServerRequest request) {
    if (request.isEnded()) {
      request.connection().close();
      return;
    }
    new LingeringClose(request).start();
  }

  private void start() {
    request.handler(chunk -> lastRead = System.nanoTime());
    request.endHandler(end -> close());
    request.exceptionHandler(failure -> close());
    Channel channel = VertxInternals.channel(request.connection());
    if (channel != null) {
      channel.closeFuture().addListener(done -> stopTimer());
    }
    schedule(IDLE_MILLIS);
    request.resume();
  }

  private void schedule(long millis) {
    Channel channel = VertxInternals.channel(request.connection());
    if (channel == null) {
      // Out of Vert.x's reach: nothing can be timed, so nothing is waited for.
      close();
      return;
    }
    timer = channel.eventLoop().schedule(this::check, millis, TimeUnit.MILLISECONDS);
  }

  private void check() {
    timer = null;
    long now = System.nanoTime();
    long idleEnds = lastRead + TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
    long next = Math.min(idleEnds, deadline);
    if (closed || now >= next) {
      close();
      return;
    }
    schedule(Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - now)));
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopTimer();
    request.connection().close();
  }

  private void stopTimer() {
    ScheduledFuture<?> pending = timer;
    timer = null;
    if (pending != null) {
      pending.cancel(false);
    }
  }
}
