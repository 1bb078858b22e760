package io.portico.router.proxy;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The client's request body as an upstream attempt reads it: each chunk handed to a {@link Sink},
 * the client held back while the sink is full, and the body's end. Both transports read it this
 * way, so that they share two rules:
 *
 * <ul>
 *   <li>A body is complete only when the client ended it. A client that leaves in the middle never
 *       makes the backend's copy look complete (the attempt is cancelled instead, see {@link
 *       ProxiedExchange}); {@code pipeTo} would have ended it, with a chunked terminator.
 *   <li>The client body timeout ({@code --client-body-timeout}, nginx's {@code
 *       client_body_timeout}): from the moment Portico reads the body, a client that sends no byte
 *       of it for that long, while Portico is not the one holding it back, has stalled; its {@link
 *       Owner} is told. Time spent held back for a slower backend never counts, nor, on HTTP/2,
 *       time during which the connection's flow-control window was shut by the unread bytes of
 *       other streams (held bodies, bodies waiting for a connection to their backend).
 * </ul>
 *
 * <p>One per request with a body; used on the event loop of the client's connection only.
 */
final class ClientBody {

  /** Where the chunks go. */
  interface Sink {
    /** A chunk of the body; call {@link #hold} when no more can be taken for now. */
    void bodyChunk(Buffer chunk);

    /** The body ended. */
    void bodyEnd();
  }

  /** Hears that the body stalled. */
  interface Owner {
    void bodyTimedOut();
  }

  // The default (and Portico's) HTTP/2 frame size: what a client sends at once.
  private static final int HTTP2_MAX_FRAME = 16 * 1024;

  private final HttpServerRequest request;
  private final EventLoop loop;
  private final long timeoutNanos;
  private final Owner owner;
  private final boolean http2;
  // HTTP/2 without Content-Length: the first chunk, read before connecting (ProxiedExchange).
  private @Nullable Buffer firstChunk;
  private @Nullable Sink sink;
  // The copy for the route's mirror: it sees each chunk and the end once, whatever the attempts.
  private @Nullable MirrorCopy mirror;
  private boolean held;
  // The client's body ended.
  private boolean ended;
  // Nothing more to time: the body ended, timed out, or the exchange is over.
  private boolean stopped;
  private long lastRead;
  private @Nullable ScheduledFuture<?> timer;

  ClientBody(HttpServerRequest request, EventLoop loop, long timeoutMillis, Owner owner) {
    this.request = request;
    this.loop = loop;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.owner = owner;
    this.http2 = request.version() == HttpVersion.HTTP_2;
  }

  /** The first chunk of an HTTP/2 body, read before the attempt started, or {@code null}. */
  @Nullable Buffer firstChunk() {
    return firstChunk;
  }

  void firstChunk(Buffer chunk) {
    firstChunk = chunk;
    lastRead = System.nanoTime();
    if (mirror != null) {
      mirror.chunk(chunk);
    }
  }

  /** Hands the body to the route's mirror copy too, as it goes to the backend. */
  void mirror(MirrorCopy copy) {
    this.mirror = copy;
  }

  /**
   * Starts counting the client's silence before the body has a sink: an HTTP/2 request whose first
   * body byte is awaited before connecting (see {@link ProxiedExchange}) must send it in time too.
   */
  void awaitFirstChunk() {
    lastRead = System.nanoTime();
    arm();
  }

  /**
   * Hands the body to {@code to} from now on (its first chunk at once when it was read ahead) and
   * starts counting the client's silences. The client's request is let flow by the exchange.
   */
  void start(Sink to) {
    this.sink = to;
    lastRead = System.nanoTime();
    request.exceptionHandler(failure -> {});
    request.handler(this::chunk);
    request.endHandler(end -> end());
    arm();
    if (firstChunk != null) {
      Buffer first = firstChunk;
      firstChunk = null;
      to.bodyChunk(first);
    }
  }

  /** The sink is full: the client waits until {@link #release}. */
  void hold() {
    if (!held && !ended) {
      held = true;
      request.pause();
    }
  }

  /** The sink takes more again. */
  void release() {
    if (held) {
      held = false;
      // The client could not send while it was held: its silence counts from now.
      lastRead = System.nanoTime();
      if (!ended) {
        request.resume();
      }
    }
  }

  /**
   * No more of the body goes anywhere: what still comes is read and dropped, so the connection can
   * carry the next request. The timeout still applies, so dropping a body cannot be made to last.
   */
  void discard() {
    sink = null;
    if (ended) {
      return;
    }
    request.handler(chunk -> lastRead = System.nanoTime());
    release();
  }

  /** No more timeouts: the exchange is over, whatever becomes of the rest of the body. */
  void stopTimer() {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void chunk(Buffer chunk) {
    lastRead = System.nanoTime();
    if (sink != null) {
      // Before the sink, which may release the chunk's bytes.
      if (mirror != null) {
        mirror.chunk(chunk);
      }
      sink.bodyChunk(chunk);
    }
  }

  private void end() {
    Sink to = sink;
    ended = true;
    stopTimer();
    if (to != null) {
      if (mirror != null) {
        mirror.end();
      }
      to.bodyEnd();
    }
  }

  /** Schedules the check unless one is pending or the timing stopped. */
  private void arm() {
    if (timer == null && !stopped) {
      schedule(timeoutNanos);
    }
  }

  private void schedule(long delayNanos) {
    timer = loop.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    timer = null;
    if (stopped) {
      return;
    }
    if (held || (http2 && connectionWindowShut())) {
      // Held back by Portico: the client could not send.
      lastRead = System.nanoTime();
      schedule(timeoutNanos);
      return;
    }
    long silent = System.nanoTime() - lastRead;
    if (silent < timeoutNanos) {
      schedule(timeoutNanos - silent);
      return;
    }
    stopTimer();
    owner.bodyTimedOut();
  }

  /**
   * Whether the client of this HTTP/2 connection cannot send a full frame more until Portico reads
   * some of what its streams sent.
   */
  private boolean connectionWindowShut() {
    return VertxInternals.http2ReceiveWindow(request.connection()) < HTTP2_MAX_FRAME;
  }
}
