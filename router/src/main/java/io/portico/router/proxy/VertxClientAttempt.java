package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.portico.router.route.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link UpstreamAttempt} through Vert.x's {@code HttpClient}, for what the event loop's own
 * pool does not carry (see {@link PooledAttempt#carries}): WebSocket upgrades (the tunnel after
 * 101), {@code Expect: 100-continue} (the backend's interim answer relayed), HTTP/2 request bodies
 * (whose first chunk may have been read before connecting), and endpoints named by DNS (resolved
 * without blocking the event loop).
 */
final class VertxClientAttempt implements UpstreamAttempt {

  private static final Logger LOG = LoggerFactory.getLogger(VertxClientAttempt.class);

  private final ListenerContext context;
  private final UpstreamRequest outbound;
  private final Endpoint endpoint;
  private final Listener listener;
  private final HttpServerRequest request;
  private @Nullable HttpClientRequest upstream;

  VertxClientAttempt(
      ListenerContext context, UpstreamRequest outbound, Endpoint endpoint, Listener listener) {
    this.context = context;
    this.outbound = outbound;
    this.endpoint = endpoint;
    this.listener = listener;
    this.request = outbound.client();
  }

  @Override
  public void start() {
    RequestOptions options =
        new RequestOptions()
            .setServer(context.addresses().upstream(endpoint))
            .setMethod(request.method())
            .setURI(outbound.uri())
            .setFollowRedirects(false);
    context
        .client()
        .request(options)
        .onComplete(
            connected -> {
              if (connected.succeeded()) {
                send(connected.result());
              } else {
                listener.failed(
                    endpoint, ProxyFailure.ofConnect(connected.cause()), connected.cause());
              }
            });
  }

  @Override
  public void cancel() {
    if (upstream != null) {
      upstream.reset();
    }
  }

  private void send(HttpClientRequest sending) {
    this.upstream = sending;
    sending.exceptionHandler(
        cause -> LOG.debug("event=upstream_closed backend={} cause={}", outbound.backend(), cause));
    outbound.writeHeaders(sending.headers(), context);
    sending.authority(outbound.authority(endpoint));

    MultiMap headers = request.headers();
    if (HopByHopHeaders.isWebSocketUpgrade(headers) && request.version() != HttpVersion.HTTP_2) {
      armReadTimeout();
      upgrade();
      return;
    }
    if (headers.contains(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true)) {
      sending.continueHandler(v -> request.response().writeContinue());
    }
    Future<HttpClientResponse> response;
    if (outbound.hasBody()) {
      if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        sending.setChunked(true);
      }
      if (outbound.firstChunk() != null) {
        sending.write(outbound.firstChunk());
      }
      response = sending.send(new EndSignallingStream(request, this::armReadTimeout));
    } else {
      armReadTimeout();
      listener.releaseRequest();
      response = sending.send();
    }
    response.onComplete(
        answered -> {
          if (answered.succeeded()) {
            relay(answered.result());
          } else {
            listener.failed(endpoint, ProxyFailure.ofExchange(answered.cause()), answered.cause());
          }
        });
  }

  /** From now on, the backend's silence longer than the read timeout fails the request (504). */
  private void armReadTimeout() {
    requireNonNull(upstream, "upstream");
    upstream.idleTimeout(context.upstreamReadTimeoutMillis());
  }

  /** Streams the backend's response to the client, once the listener has started it. */
  private void relay(HttpClientResponse answer) {
    requireNonNull(upstream, "upstream");
    if (!listener.answered(answer.statusCode(), answer.statusMessage(), answer.headers())) {
      upstream.reset();
      return;
    }
    String length = answer.getHeader(HttpHeaderNames.CONTENT_LENGTH);
    new ResponseRelay(answer, request.response(), contentLength(length), this::aborted).start();
  }

  /** The backend's response failed while it was being relayed. */
  private void aborted(Throwable cause) {
    requireNonNull(upstream, "upstream");
    upstream.reset();
    listener.aborted(cause);
  }

  /** A WebSocket upgrade: the listener makes the pipe once the backend agrees (101). */
  private void upgrade() {
    requireNonNull(upstream, "upstream");
    upstream.putHeader("connection", "Upgrade");
    upstream.putHeader("upgrade", request.getHeader("upgrade"));
    upstream
        .connect()
        .onComplete(
            answered -> {
              if (answered.failed()) {
                listener.failed(
                    endpoint, ProxyFailure.ofExchange(answered.cause()), answered.cause());
                return;
              }
              HttpClientResponse backendAnswer = answered.result();
              if (backendAnswer.statusCode() != 101) {
                listener.releaseRequest();
                relay(backendAnswer);
                return;
              }
              listener.switchedProtocols(backendAnswer.headers(), backendAnswer.netSocket());
            });
  }

  /** A Content-Length the HTTP decoder accepted, as a number; -1 when absent. */
  private static long contentLength(String length) {
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
