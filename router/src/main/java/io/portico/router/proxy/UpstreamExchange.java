package io.portico.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.portico.router.route.Endpoint;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * One attempt of a {@link ProxiedExchange} over the event loop's own {@link UpstreamPool} instead
 * of Vert.x's client: a request without a body, sent whole, and its response streamed to the client
 * with back-pressure. Vert.x's client spent about an eighth of the proxy's CPU per keep-alive
 * request on its pool, endpoint resolution, streams and futures; this path has none of them.
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
  private final HttpServerResponse response;
  private final long readTimeoutMillis;
  private UpstreamConnection connection;
  private boolean cancelled;

  UpstreamExchange(
      ProxiedExchange owner,
      UpstreamPool pool,
      Endpoint endpoint,
      HttpRequest head,
      HttpServerResponse response,
      long readTimeoutMillis) {
    this.owner = owner;
    this.pool = pool;
    this.endpoint = endpoint;
    this.head = head;
    this.response = response;
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
    acquired.begin(this, head);
    // The request is sent whole: the backend's silence counts from now.
    acquired.armReadTimeout(readTimeoutMillis);
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
