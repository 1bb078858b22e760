package io.portico.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.portico.router.route.Endpoint;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 connection to a backend, carrying one exchange at a time (no pipelining), and
 * reusable for the next once a response ended with keep-alive. It sits after Netty's {@code
 * HttpClientCodec}, which pairs each response with the method of its request (HEAD, 204 and 304
 * have no body) and reports a body cut short as a failed last chunk.
 *
 * <p>The read timeout is one timer per connection rather than one per exchange: the timer fires at
 * most once per timeout, looks at the time of the last read, and re-arms itself for the rest, so a
 * keep-alive exchange schedules nothing.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  /** The exchange in progress on a connection; called on its event loop. */
  interface Exchange {
    /** The backend's response head (not an interim 1xx). */
    void head(HttpResponse head);

    /** A chunk of the response body; the callee owns it. */
    void content(ByteBuf chunk);

    /** The last chunk of the body, possibly empty; the callee owns it. */
    void end(ByteBuf chunk);

    /**
     * The exchange failed; the connection is closed already.
     *
     * @param answered whether the response head had arrived
     */
    void failed(Throwable cause, boolean answered);

    /** The connection takes more of the request body again after {@link #writeBody} said no. */
    void writable();
  }

  /** The backend broke the protocol: the connection cannot carry another exchange. */
  static final class ProtocolException extends IOException {
    ProtocolException(String message) {
      super(message);
    }
  }

  /** The backend closed the connection during an exchange. */
  static final class ClosedException extends IOException {
    ClosedException(String message) {
      super(message);
    }
  }

  private final UpstreamPool pool;
  private final Channel channel;

  // Set by the pool before the connection carries its first exchange.
  @SuppressWarnings("NullAway.Init")
  private Endpoint endpoint;

  private @Nullable Exchange exchange;
  private boolean answered;
  // Inside an interim 1xx response, which the client never sees.
  private boolean interim;
  private boolean keepAlive;
  // Whether the whole request went out: a response that ends before (an early 413, say) leaves the
  // connection in the middle of a request body, unusable for the next one.
  private boolean requestSent;
  private long idleSince;
  private long readTimeoutNanos;
  private long lastRead;
  private boolean timerPending;

  UpstreamConnection(UpstreamPool pool, Channel channel) {
    this.pool = pool;
    this.channel = channel;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  void endpoint(Endpoint to) {
    this.endpoint = to;
  }

  long idleSince() {
    return idleSince;
  }

  void idleSince(long nanos) {
    this.idleSince = nanos;
  }

  boolean isUsable() {
    return exchange == null && channel.isActive();
  }

  /**
   * Sends a request head and waits for its response.
   *
   * @param whole whether {@code request} is the whole request; if not, its body follows through
   *     {@link #writeBody} and {@link #endBody}
   */
  void begin(Exchange next, HttpRequest request, boolean whole) {
    this.exchange = next;
    this.answered = false;
    this.interim = false;
    this.requestSent = whole;
    // A failed write reaches exceptionCaught through the void promise.
    channel.writeAndFlush(request, channel.voidPromise());
  }

  /**
   * Sends a chunk of the request body; false when the connection's buffer is full, and {@link
   * Exchange#writable} will tell when it takes more.
   */
  boolean writeBody(ByteBuf chunk) {
    channel.writeAndFlush(new DefaultHttpContent(chunk), channel.voidPromise());
    return channel.isWritable();
  }

  /** Ends the request body. */
  void endBody() {
    requestSent = true;
    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
  }

  /** From now on, the backend's silence longer than {@code millis} fails the exchange. */
  void armReadTimeout(long millis) {
    readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    lastRead = System.nanoTime();
    if (!timerPending) {
      timerPending = true;
      channel.eventLoop().schedule(this::checkReadTimeout, readTimeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Stops reading from the backend until {@link #resumeReading} (the client is slower). */
  void pauseReading() {
    channel.config().setAutoRead(false);
  }

  void resumeReading() {
    // A backend held back by the client has not been silent.
    lastRead = System.nanoTime();
    channel.config().setAutoRead(true);
  }

  /** Ends the exchange in progress without telling it, and the connection with it. */
  void abort() {
    exchange = null;
    channel.close();
  }

  void close() {
    channel.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Exchange current = exchange;
    if (current == null) {
      // Bytes nobody asked for, or what still came after an abort: the connection is unusable.
      ReferenceCountUtil.release(msg);
      channel.close();
      return;
    }
    lastRead = System.nanoTime();
    if (!(msg instanceof HttpObject)) {
      // The codec passes raw bytes on once it thinks the connection switched protocols (a 2xx to
      // CONNECT, a 101): the connection no longer speaks HTTP, whatever the backend meant.
      ReferenceCountUtil.release(msg);
      fail(new ProtocolException("the backend's connection stopped speaking HTTP"));
      return;
    }
    if (msg instanceof HttpResponse head) {
      if (head.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        fail(head.decoderResult().cause());
        return;
      }
      int status = head.status().code();
      if (status == 101) {
        // Nothing sent over the pool asks to switch protocols: a backend that switches anyway
        // would make this connection a tunnel.
        ReferenceCountUtil.release(msg);
        fail(new ProtocolException("the backend switched protocols unasked"));
        return;
      }
      if (status >= 100 && status < 200) {
        interim = true;
      } else {
        answered = true;
        keepAlive = HttpUtil.isKeepAlive(head);
        current.head(head);
      }
    }
    if (msg instanceof HttpContent content) {
      if (content.decoderResult().isFailure()) {
        content.release();
        fail(content.decoderResult().cause());
        return;
      }
      boolean last = msg instanceof LastHttpContent;
      if (interim || exchange != current) {
        // An interim response's end, or the exchange let go of the connection in head().
        content.release();
        interim &= !last;
        return;
      }
      if (last) {
        finish();
        current.end(content.content());
      } else {
        current.content(content.content());
      }
    }
  }

  /** The response ended: the connection goes back to the pool, or closes. */
  private void finish() {
    exchange = null;
    readTimeoutNanos = 0;
    if (!channel.config().isAutoRead()) {
      channel.config().setAutoRead(true);
    }
    if (keepAlive && requestSent && channel.isActive()) {
      pool.release(this);
    } else {
      channel.close();
    }
  }

  private void fail(Throwable cause) {
    Exchange current = exchange;
    exchange = null;
    channel.close();
    if (current != null) {
      current.failed(cause, answered);
    }
  }

  private void checkReadTimeout() {
    timerPending = false;
    if (exchange == null || readTimeoutNanos == 0 || !channel.isActive()) {
      return;
    }
    long silent = System.nanoTime() - lastRead;
    if (silent >= readTimeoutNanos) {
      fail(new TimeoutException("no response from the backend in time"));
      return;
    }
    timerPending = true;
    channel
        .eventLoop()
        .schedule(this::checkReadTimeout, readTimeoutNanos - silent, TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (exchange != null && channel.isWritable()) {
      exchange.writable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    pool.closed(this);
    if (exchange != null) {
      fail(
          new ClosedException(
              answered
                  ? "the backend closed the connection during the response"
                  : "the backend closed the connection before responding"));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (exchange != null) {
      fail(cause);
    } else {
      channel.close();
    }
  }
}
