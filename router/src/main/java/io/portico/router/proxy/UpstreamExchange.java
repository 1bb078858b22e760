package io.portico.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.portico.router.route.Endpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * One attempt of a {@link ProxiedExchange} over the event loop's own {@link UpstreamPool} instead
 * of Vert.x's client: the request head, its body streamed with back-pressure (the client's request
 * is paused while the backend's connection is full), and the response streamed back the same way.
 * Vert.x's client spent about an eighth of the proxy's CPU per keep-alive request on its pool,
 * endpoint resolution, streams and futures; this path has none of them.
 *
 * <p>Body chunks are copied out of Netty's pooled buffers into heap buffers, as Vert.x's client
 * does: Vert.x's server response writes a buffer as an unreleasable slice, so a pooled buffer
 * handed over without a copy would have to be released after the write completed, which would need
 * a listener on every write.
 */
final class UpstreamExchange implements UpstreamConnection.Exchange, UpstreamPool.Waiter {

  private final ProxiedExchange owner;
  private final UpstreamPool pool;
  private final Endpoint endpoint;
  private final HttpRequest head;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final boolean hasBody;
  private final long readTimeoutMillis;
  private UpstreamConnection connection;
  private boolean cancelled;
  // The request body goes no further: it was sent whole, the response ended, or the attempt failed.
  private boolean bodyDone;
  // Whether this exchange paused the client's request for the backend's back-pressure.
  private boolean bodyPaused;

  UpstreamExchange(
      ProxiedExchange owner,
      UpstreamPool pool,
      Endpoint endpoint,
      HttpRequest head,
      HttpServerRequest request,
      boolean hasBody,
      long readTimeoutMillis) {
    this.owner = owner;
    this.pool = pool;
    this.endpoint = endpoint;
    this.head = head;
    this.request = request;
    this.response = request.response();
    this.hasBody = hasBody;
    this.readTimeoutMillis = readTimeoutMillis;
  }

  void start() {
    pool.acquire(endpoint, this);
  }

  /** The client left: the backend's work is of no use any more. */
  void cancel() {
    cancelled = true;
    if (connection != null) {
      connection.abort();
      connection = null;
    }
  }

  @Override
  public void acquired(UpstreamConnection acquired) {
    if (cancelled) {
      pool.release(acquired);
      return;
    }
    connection = acquired;
    if (!hasBody) {
      acquired.begin(this, head, true);
      // The request is sent whole: the backend's silence counts from now.
      acquired.armReadTimeout(readTimeoutMillis);
      return;
    }
    acquired.begin(this, head, false);
    // The client's request was paused until now (see ProxiedExchange.start), so that a failed
    // connect left its body unread and could go to another endpoint.
    request.handler(this::sendChunk);
    request.endHandler(end -> sendEnd());
    owner.resumeRequest();
  }

  private void sendChunk(Buffer chunk) {
    if (bodyDone || connection == null) {
      return;
    }
    // An unreleasable slice of the request's heap buffer: the encoder's release is a no-op.
    if (!connection.writeBody(((BufferInternal) chunk).getByteBuf())) {
      bodyPaused = true;
      request.pause();
    }
  }

  private void sendEnd() {
    if (bodyDone || connection == null) {
      return;
    }
    bodyDone = true;
    connection.endBody();
    // The backend's silence counts once it has the whole request, as nginx's proxy_read_timeout.
    connection.armReadTimeout(readTimeoutMillis);
  }

  @Override
  public void writable() {
    if (bodyPaused) {
      bodyPaused = false;
      request.resume();
    }
  }

  /** No more of the client's body goes to the backend; what still comes is read and dropped. */
  private void stopBody() {
    if (!hasBody || bodyDone) {
      return;
    }
    bodyDone = true;
    request.handler(chunk -> {});
    request.endHandler(null);
    if (bodyPaused && !request.isEnded()) {
      bodyPaused = false;
      request.resume();
    }
  }

  @Override
  public void connectFailed(Throwable cause) {
    if (!cancelled) {
      owner.upstreamFailed(endpoint, ProxyFailure.ofConnect(cause), cause);
    }
  }

  @Override
  public void head(HttpResponse answer) {
    if (!owner.respond(answer)) {
      cancel();
    }
  }

  @Override
  public void content(ByteBuf chunk) {
    response.write(BufferInternal.safeBuffer(chunk));
    if (response.writeQueueFull()) {
      UpstreamConnection paused = connection;
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
      response.end(BufferInternal.safeBuffer(chunk));
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
      owner.streamAborted(cause);
    } else {
      owner.upstreamFailed(endpoint, ProxyFailure.ofExchange(cause), cause);
    }
  }
}
