package io.portico.router.proxy;

import io.portico.router.route.ResponseRate;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import org.jspecify.annotations.Nullable;

/**
 * Streams a backend's response body to the client with back-pressure, as {@code pipeTo} did, but
 * without its pipe, promises and a listener on the future of every write: on the keep-alive path
 * those were a good part of the Java-side CPU per request.
 *
 * <p>The end of the backend's response ends the client's. A failure of the backend's response
 * before its body is complete does not end the client's: {@code onFailure} resets it (HTTP/1.1: the
 * connection closes without the chunked terminator or the rest of the Content-Length; HTTP/2: the
 * stream is reset), as nginx does, so a body cut short can never look complete. ({@code pipeTo}
 * ended it, which made a cut chunked download look whole.) A write that fails does so because the
 * client's connection closed, which the request's close handler already answers by resetting the
 * backend request, so writes are not listened to.
 *
 * <p>A route with a bandwidth limit ({@code limit-rate}) hands each chunk to a {@link
 * ResponsePacer} instead, which writes it at the route's pace; a relay without one has no pacer and
 * takes no other branch.
 */
final class ResponseRelay implements Handler<Buffer> {

  private final HttpClientResponse source;
  private final HttpServerResponse sink;
  private final Runnable onEnd;
  private final Handler<Throwable> onFailure;
  // Only for a route with a bandwidth limit.
  private final @Nullable ResponsePacer pacer;
  // Body bytes still to come by the backend's Content-Length; -1 when it sent none.
  private long remaining;
  // The body's last chunk, held back until the end that follows it at once (see handle).
  private @Nullable Buffer last;
  private boolean done;

  /**
   * @param contentLength the backend's Content-Length, or -1
   * @param onEnd runs once the client's response has been ended
   */
  ResponseRelay(
      HttpClientResponse source,
      HttpServerResponse sink,
      long contentLength,
      Runnable onEnd,
      Handler<Throwable> onFailure) {
    this.source = source;
    this.sink = sink;
    this.remaining = contentLength;
    this.onEnd = onEnd;
    this.onFailure = onFailure;
    this.pacer = null;
  }

  /** A relay that paces the body as {@code rate} says, with timers of {@code vertx}. */
  ResponseRelay(
      HttpClientResponse source,
      HttpServerResponse sink,
      ResponseRate rate,
      Vertx vertx,
      Runnable onEnd,
      Handler<Throwable> onFailure) {
    this.source = source;
    this.sink = sink;
    this.remaining = -1;
    this.onEnd = onEnd;
    this.onFailure = onFailure;
    this.pacer = new ResponsePacer(vertx, source, sink, rate, this::finish);
  }

  void start() {
    source.exceptionHandler(this::failed);
    source.endHandler(end -> ended());
    source.handler(this);
    source.resume();
  }

  @Override
  public void handle(Buffer chunk) {
    if (pacer != null) {
      pacer.offer(chunk);
      return;
    }
    if (remaining > 0) {
      remaining -= chunk.length();
      if (remaining == 0) {
        // The chunk that completes a Content-Length body comes with the response's end, in the
        // same event: writing both at once sends head, body and end as one message (one pass
        // through the channel pipeline) when the body is a single chunk, the common case.
        last = chunk;
        return;
      }
    }
    sink.write(chunk);
    if (sink.writeQueueFull()) {
      source.pause();
      sink.drainHandler(drained -> source.resume());
    }
  }

  private void ended() {
    if (done) {
      return;
    }
    done = true;
    if (pacer != null && pacer.holding()) {
      // The body's last bytes are still to go at the route's pace.
      pacer.endAfterHeld();
      return;
    }
    finish();
  }

  private void finish() {
    endSink();
    onEnd.run();
  }

  private void failed(Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    if (pacer != null) {
      pacer.stop();
    }
    if (last != null) {
      // Every byte of the Content-Length arrived; only the backend's end was lost.
      sink.end(last);
    }
    onFailure.handle(cause);
  }

  private void endSink() {
    // Trailers (gRPC's status, mostly) follow the body to the client as they came.
    MultiMap trailers = source.trailers();
    if (trailers != null && !trailers.isEmpty()) {
      sink.trailers().addAll(trailers);
    }
    if (last != null) {
      sink.end(last);
    } else {
      sink.end();
    }
  }
}
