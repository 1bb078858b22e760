package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The client header timeout of one HTTP/1.x connection ({@code --client-header-timeout}, nginx's
 * {@code client_header_timeout}): a request head must be complete within the timeout of its first
 * byte (for a connection's first request, of the connection's start). A client that drips its head
 * in, or opens a connection and sends nothing, is answered 408 and the connection closed; the idle
 * timeout, which a drip resets, could not tell it from a slow keep-alive client.
 *
 * <p>Two handlers share the state: one before Vert.x's HTTP decoder sees the bytes arrive, one
 * after it sees the heads and bodies it decodes and the responses written. Time during which Vert.x
 * holds the connection's reads back (the previous request is still being served) does not count.
 * Only heads are timed here; bodies are timed by {@link ClientBody}.
 */
final class RequestHeadTimeout {

  private static final byte[] TIMEOUT_ANSWER = answer();

  private enum State {
    /** Between requests: the idle timeout applies. */
    IDLE,
    /** A head started and is not complete. */
    HEAD,
    /** A head is complete and its body, if any, not yet. */
    MESSAGE
  }

  private final long timeoutNanos;
  // Set by install() before any byte is seen.
  private State state = State.IDLE;
  private long headStart;
  private boolean responding;
  // The context of the bytes handler, once the pipeline has added it.
  private @Nullable ChannelHandlerContext raw;
  private @Nullable ScheduledFuture<?> timer;

  private RequestHeadTimeout(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * Installs the timeout around Vert.x's HTTP/1.x codec in {@code pipeline}; does nothing when the
   * codec is not there (HTTP/2).
   *
   * @param headStarted whether a head is due from now on (a new connection), rather than a request
   *     being under way already
   */
  static void install(ChannelPipeline pipeline, long timeoutMillis, boolean headStarted) {
    if (pipeline.get("httpDecoder") == null || pipeline.get("httpEncoder") == null) {
      return;
    }
    RequestHeadTimeout timeout =
        new RequestHeadTimeout(TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    pipeline.addBefore("httpDecoder", "portico-head-timeout-bytes", timeout.new Bytes());
    pipeline.addAfter("httpEncoder", "portico-head-timeout-messages", timeout.new Messages());
    if (headStarted) {
      timeout.headStarted();
    } else {
      timeout.state = State.MESSAGE;
    }
  }

  /**
   * A head starts. The timer of an earlier head is left to fire and re-arm itself for this one, so
   * that keep-alive requests schedule nothing: one timer per timeout at most, per connection.
   */
  private void headStarted() {
    state = State.HEAD;
    headStart = System.nanoTime();
    if (timer == null && raw != null) {
      timer = raw.executor().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void headComplete() {
    state = State.MESSAGE;
  }

  private void closed() {
    state = State.IDLE;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void check() {
    timer = null;
    // Only ever scheduled on the executor of raw.
    ChannelHandlerContext raw = requireNonNull(this.raw, "raw");
    if (state != State.HEAD || !raw.channel().isActive()) {
      return;
    }
    if (!raw.channel().config().isAutoRead()) {
      // Vert.x holds the connection's reads back: the client cannot be late.
      headStart = System.nanoTime();
    }
    long elapsed = System.nanoTime() - headStart;
    if (elapsed < timeoutNanos) {
      timer = raw.executor().schedule(this::check, timeoutNanos - elapsed, TimeUnit.NANOSECONDS);
      return;
    }
    state = State.IDLE;
    if (responding) {
      // A response is on its way: 408 cannot be written into it.
      raw.close();
      return;
    }
    raw.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_ANSWER))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** Sees the bytes as they arrive, before the decoder. */
  private final class Bytes extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      raw = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (state == State.IDLE && msg instanceof ByteBuf bytes && bytes.isReadable()) {
        headStarted();
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closed();
      ctx.fireChannelInactive();
    }
  }

  /** Sees what the decoder makes of the bytes, and the responses written. */
  private final class Messages extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        headComplete();
      }
      if (msg instanceof LastHttpContent) {
        state = State.IDLE;
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse) {
        responding = true;
      }
      if (msg instanceof LastHttpContent) {
        responding = false;
      }
      ctx.write(msg, promise);
    }
  }

  private static byte[] answer() {
    String body = ProxyFailure.CLIENT_HEADER_TIMEOUT.body();
    return ("HTTP/1.1 408 Request Timeout\r\n"
            + "content-type: text/plain; charset=utf-8\r\n"
            + "cache-control: no-store\r\n"
            + "connection: close\r\n"
            + "content-length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.UTF_8);
  }
}
