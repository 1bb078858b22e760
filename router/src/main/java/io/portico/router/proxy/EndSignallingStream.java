package io.portico.router.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The client's request body as the upstream request reads it, running an action when the body ends.
 * The upstream read timeout is armed there: it measures the backend's silence after the request was
 * sent, as nginx's {@code proxy_read_timeout} does, so an upload slower than the timeout is not cut
 * off while the backend is still receiving it.
 */
final class EndSignallingStream implements ReadStream<Buffer> {

  private final ReadStream<Buffer> source;
  private final Runnable atEnd;
  private final UpstreamRequest outbound;

  /**
   * @param outbound the request the body belongs to, which hands each chunk and the end to its
   *     mirror copy, if any
   */
  EndSignallingStream(ReadStream<Buffer> source, Runnable atEnd, UpstreamRequest outbound) {
    this.source = source;
    this.atEnd = atEnd;
    this.outbound = outbound;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    source.handler(
        handler == null
            ? null
            : chunk -> {
              outbound.bodyChunk(chunk);
              handler.handle(chunk);
            });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    source.endHandler(
        handler == null
            ? null
            : end -> {
              atEnd.run();
              outbound.bodyEnded();
              handler.handle(end);
            });
    return this;
  }
}
