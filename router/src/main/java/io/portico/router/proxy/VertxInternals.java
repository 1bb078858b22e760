package io.portico.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.http.impl.headers.Http1xHeaders;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * Every use the data plane makes of Vert.x's internal types (packages {@code impl} and {@code
 * internal}, which Vert.x may change in any release), so that a Vert.x upgrade is checked against
 * one file. Checked against Vert.x 5.2.0. Each method says what it is for and what happens when the
 * internal is not there.
 */
final class VertxInternals {

  // HeadersAdaptor.headers, or null when this Vert.x has no such field (see nettyHeaders).
  private static final @Nullable VarHandle ADAPTED;

  static {
    VarHandle adapted;
    try {
      adapted =
          MethodHandles.privateLookupIn(HeadersAdaptor.class, MethodHandles.lookup())
              .findVarHandle(HeadersAdaptor.class, "headers", HttpHeaders.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      adapted = null;
    }
    ADAPTED = adapted;
  }

  private VertxInternals() {}

  /**
   * An empty header map for a request through the event loop's own pool: a Netty map, as its
   * encoder wants, that is also Vert.x's {@link MultiMap} (see {@link #multiMap}), so the proxy's
   * header code fills it without a copy.
   */
  static HttpHeaders newHeaders() {
    return Http1xHeaders.httpHeaders();
  }

  /**
   * A Netty header map as a {@link MultiMap}: the map itself when it is one of Vert.x's, else one
   * small adaptor over it (a backend's response through the pool), not a copy.
   */
  static MultiMap multiMap(HttpHeaders headers) {
    return headers instanceof MultiMap map ? map : new HeadersAdaptor(headers);
  }

  /**
   * The Netty map behind {@code headers}, or {@code null}: Vert.x's own HTTP/1.x maps are Netty
   * maps, and {@link #multiMap}'s adaptor is read through its field, whose iteration would make a
   * String of every header name. {@code null} (iterate as Strings) when neither applies.
   */
  static @Nullable HttpHeaders nettyHeaders(MultiMap headers) {
    if (headers instanceof HttpHeaders netty) {
      return netty;
    }
    if (ADAPTED != null && headers.getClass() == HeadersAdaptor.class) {
      return (HttpHeaders) ADAPTED.get(headers);
    }
    return null;
  }

  /**
   * The bytes of a request body chunk for the pool's encoder: an unreleasable slice of the chunk's
   * heap buffer, so the encoder's release is a no-op.
   */
  static ByteBuf byteBuf(Buffer chunk) {
    return ((BufferInternal) chunk).getByteBuf();
  }

  /**
   * A chunk of a backend's response from the pool, copied out of Netty's pooled buffer into a heap
   * buffer (released here), as Vert.x's client does: Vert.x's server response writes a buffer as an
   * unreleasable slice, so a pooled buffer handed over without a copy would have to be released
   * after the write completed, which would need a listener on every write.
   */
  static Buffer buffer(ByteBuf chunk) {
    return BufferInternal.safeBuffer(chunk);
  }

  /** The Netty event loop of the calling verticle's context, for its upstream pool. */
  static EventLoop eventLoop(Vertx vertx) {
    return ((ContextInternal) vertx.getOrCreateContext()).nettyEventLoop();
  }

  /** The channel type of Vert.x's transport (epoll when native transport is on). */
  static ChannelFactory<? extends Channel> channelFactory(Vertx vertx) {
    return ((VertxInternal) vertx).transport().channelFactory(false);
  }

  /**
   * Resolves {@code host} with Vert.x's resolver (its DNS client, its hosts file, its caches) on
   * {@code loop}, without blocking it; the future's listeners run on {@code loop}.
   */
  static io.netty.util.concurrent.Future<InetAddress> resolve(
      Vertx vertx, EventLoop loop, String host) {
    io.netty.util.concurrent.Promise<InetAddress> resolved = loop.newPromise();
    ((VertxInternal) vertx)
        .nameResolver()
        .resolve(loop, host)
        .addListener(
            done -> {
              if (done.isSuccess()) {
                resolved.setSuccess(((InetSocketAddress) done.getNow()).getAddress());
              } else {
                resolved.setFailure(done.cause());
              }
            });
    return resolved;
  }

  /**
   * Whether an HTTP/2 server connection began as HTTP/1.1 with {@code Upgrade: h2c}: Vert.x keeps
   * its HTTP/1.x decoder (and its upgrade handler, "h2c") in the pipeline until the upgrading
   * request has been read, and a prior-knowledge connection never has them. False when the pipeline
   * is out of reach.
   */
  static boolean isUpgradedFromHttp1(HttpConnection connection) {
    ChannelPipeline pipeline = pipeline(connection);
    return pipeline != null && (pipeline.get("httpDecoder") != null || pipeline.get("h2c") != null);
  }

  /**
   * How many bytes the client of an HTTP/2 server connection may still send, on all its streams
   * together, before Portico reads some (the connection's receive window, which Vert.x opens again
   * as streams' data is read); {@link Integer#MAX_VALUE} for another connection, or when the
   * pipeline is out of reach.
   */
  static int http2ReceiveWindow(HttpConnection connection) {
    ChannelPipeline pipeline = pipeline(connection);
    Http2ConnectionHandler handler =
        pipeline == null ? null : pipeline.get(Http2ConnectionHandler.class);
    if (handler == null) {
      return Integer.MAX_VALUE;
    }
    Http2Connection http2 = handler.connection();
    return http2.local().flowController().windowSize(http2.connectionStream());
  }

  /** The Netty pipeline of a server connection, or {@code null} when Vert.x does not expose it. */
  static @Nullable ChannelPipeline pipeline(HttpConnection connection) {
    Channel channel = channel(connection);
    return channel == null ? null : channel.pipeline();
  }

  /**
   * The Netty channel of a server connection (for its event loop's timers and its close), or {@code
   * null} when Vert.x does not expose it.
   */
  static @Nullable Channel channel(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channel() : null;
  }
}
