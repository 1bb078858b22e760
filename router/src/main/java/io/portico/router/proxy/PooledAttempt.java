package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.portico.router.route.Endpoint;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.jspecify.annotations.Nullable;

/**
 * An {@link UpstreamAttempt} over the event loop's own {@link UpstreamPool} instead of Vert.x's
 * client: the request head, its body streamed with back-pressure (the client's request is paused
 * while the backend's connection is full), and the response streamed back the same way. The pool
 * has no hand-offs between threads, futures or endpoint resolution, which is why plain exchanges
 * take this path.
 *
 * <p>Body chunks are copied out of Netty's pooled buffers into heap buffers (see {@link
 * VertxInternals#buffer}).
 */
final class PooledAttempt
    implements UpstreamAttempt, UpstreamConnection.Exchange, UpstreamPool.Waiter, ClientBody.Sink {

  private final ListenerContext context;
  private final UpstreamRequest outbound;
  private final UpstreamPool pool;
  private final Endpoint endpoint;
  private final Listener listener;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final boolean hasBody;

  // Made by start(), which runs before anything else.
  @SuppressWarnings("NullAway.Init")
  private HttpRequest head;

  private @Nullable UpstreamConnection connection;
  // Waiting in the pool's queue for a connection.
  private boolean waiting;
  private boolean cancelled;
  // The request body goes no further: it was sent whole, the response ended, or the attempt failed.
  private boolean bodyDone;

  PooledAttempt(
      ListenerContext context, UpstreamRequest outbound, Endpoint endpoint, Listener listener) {
    this.context = context;
    this.outbound = outbound;
    this.pool = context.pool();
    this.endpoint = endpoint;
    this.listener = listener;
    this.request = outbound.client();
    this.response = request.response();
    this.hasBody = outbound.hasBody();
  }

  /**
   * Whether the pool carries this request to this endpoint: a plain HTTP/1.x exchange (no WebSocket
   * upgrade; an HTTP/2 request only without a body, whose first chunk may have been read already),
   * to an IP endpoint of the cluster's endpoint lists (see {@link UpstreamPool#serves}; an
   * ExternalName endpoint is resolved and checked by {@link VertxClientAttempt}), on the pool's own
   * event loop (a request on another thread keeps Vert.x).
   */
  static boolean carries(UpstreamRequest outbound, Endpoint endpoint, UpstreamPool pool) {
    return !outbound.upgrade()
        && !endpoint.external()
        && (!outbound.hasBody() || !outbound.http2())
        && pool.loop().inEventLoop()
        && pool.serves(endpoint);
  }

  @Override
  public void start() {
    head = head();
    waiting = true;
    pool.acquire(endpoint, this);
  }

  @Override
  public void cancel() {
    cancelled = true;
    if (waiting) {
      // Out of the queue at once, so that a client that gave up does not hold a place in it.
      waiting = false;
      pool.cancel(endpoint, this);
    }
    if (connection != null) {
      connection.abort();
      connection = null;
    }
    stopBody();
  }

  /**
   * The request to send: whole when it has no body, else its head, with the body to follow (chunked
   * when the client gave no Content-Length).
   */
  private HttpRequest head() {
    HttpHeaders headers = VertxInternals.newHeaders();
    MultiMap map = VertxInternals.multiMap(headers);
    outbound.writeHeaders(map, context);
    headers.set(HttpHeaderNames.HOST, outbound.host(endpoint));
    HttpMethod method = HttpMethod.valueOf(request.method().name());
    String uri = outbound.uri();
    if (hasBody) {
      if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
      return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri, headers);
    }
    return new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1,
        method,
        uri,
        Unpooled.EMPTY_BUFFER,
        headers,
        EmptyHttpHeaders.INSTANCE);
  }

  @Override
  public void acquired(UpstreamConnection acquired) {
    waiting = false;
    if (cancelled) {
      pool.release(acquired);
      return;
    }
    connection = acquired;
    long readTimeout = context.upstreamReadTimeoutMillis();
    if (!hasBody) {
      acquired.begin(this, head, true);
      // The request is sent whole: the backend's silence counts from now.
      acquired.armReadTimeout(readTimeout);
      return;
    }
    acquired.begin(this, head, false);
    // The client's request was paused until now (see ProxiedExchange.start), so that a failed
    // connect left its body unread and could go to another endpoint.
    outbound.presentBody().start(this);
    listener.releaseRequest();
  }

  @Override
  public void bodyChunk(Buffer chunk) {
    if (bodyDone || connection == null) {
      return;
    }
    if (!connection.writeBody(VertxInternals.byteBuf(chunk))) {
      outbound.presentBody().hold();
    }
  }

  @Override
  public void bodyEnd() {
    if (bodyDone || connection == null) {
      return;
    }
    bodyDone = true;
    connection.endBody();
    // The backend's silence counts once it has the whole request, as nginx's proxy_read_timeout.
    connection.armReadTimeout(context.upstreamReadTimeoutMillis());
  }

  @Override
  public void writable() {
    if (hasBody && !bodyDone) {
      outbound.presentBody().release();
    }
  }

  /** No more of the client's body goes to the backend; what still comes is read and dropped. */
  private void stopBody() {
    if (!hasBody || bodyDone) {
      return;
    }
    bodyDone = true;
    outbound.presentBody().discard();
  }

  @Override
  public void connectFailed(Throwable cause) {
    waiting = false;
    if (!cancelled) {
      listener.failed(endpoint, ProxyFailure.ofConnect(cause), cause);
    }
  }

  @Override
  public void head(HttpResponse answer) {
    if (!listener.answered(
        answer.status().code(),
        answer.status().reasonPhrase(),
        VertxInternals.multiMap(answer.headers()))) {
      cancel();
    }
  }

  @Override
  public void content(ByteBuf chunk) {
    response.write(VertxInternals.buffer(chunk));
    if (response.writeQueueFull()) {
      UpstreamConnection paused = requireNonNull(connection, "connection");
      paused.pauseReading();
      response.drainHandler(
          drained -> {
            if (connection == paused) {
              paused.resumeReading();
            }
          });
    }
  }

  @Override
  public void end(ByteBuf chunk) {
    connection = null;
    // A response complete before the request body (an early 413, say): the connection has closed.
    stopBody();
    if (chunk.isReadable()) {
      response.end(VertxInternals.buffer(chunk));
    } else {
      chunk.release();
      response.end();
    }
  }

  @Override
  public void failed(Throwable cause, boolean answered) {
    connection = null;
    stopBody();
    if (cancelled) {
      return;
    }
    if (answered) {
      listener.aborted(cause);
    } else {
      listener.failed(endpoint, ProxyFailure.ofExchange(cause), cause);
    }
  }
}
