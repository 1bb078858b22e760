package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.portico.router.route.Endpoint;
import io.portico.router.route.ResponseRate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link UpstreamAttempt} through Vert.x's {@code HttpClient}, for what the event loop's own
 * pool does not carry (see {@link PooledAttempt#carries}): WebSocket upgrades (the tunnel after
 * 101), HTTP/2 request bodies (whose first chunk may have been read before connecting), and
 * endpoints named by DNS or given by an ExternalName Service.
 *
 * <p>An ExternalName endpoint is resolved here, without blocking the event loop, and its address
 * checked by the {@link UpstreamAddressGuard} before anything connects to it; the connection then
 * goes to that very address, so the name cannot resolve to another one in between.
 *
 * <p>Every way the attempt ends leaves Vert.x's pool as it found it: the connection goes back only
 * after a complete exchange, and is closed otherwise (a WebSocket upgrade the backend refused,
 * whose request was never ended; a response that ended before the request body; a failure; the
 * client leaving).
 */
final class VertxClientAttempt implements UpstreamAttempt, ClientBody.Sink {

  private static final Logger LOG = LoggerFactory.getLogger(VertxClientAttempt.class);

  private final ListenerContext context;
  private final UpstreamRequest outbound;
  private final Endpoint endpoint;
  private final Listener listener;
  private final HttpServerRequest request;
  private @Nullable HttpClientRequest upstream;
  private boolean cancelled;
  // Whether the upstream request was ended: a connection whose request was not cannot be reused.
  private boolean requestEnded;

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
    if (!endpoint.external()) {
      connect(context.addresses().upstream(endpoint));
      return;
    }
    context
        .resolve(endpoint.host())
        .addListener(
            resolved -> {
              if (cancelled) {
                return;
              }
              if (!resolved.isSuccess()) {
                Throwable cause = resolved.cause();
                listener.failed(endpoint, ProxyFailure.ofConnect(cause), cause);
                return;
              }
              InetAddress address = (InetAddress) resolved.getNow();
              String refusal = context.guard().refusal(address);
              if (refusal != null) {
                context.guard().warn(outbound.backend().backend().id(), endpoint, address, refusal);
                UpstreamAddressGuard.RefusedException cause =
                    new UpstreamAddressGuard.RefusedException(refusal);
                listener.failed(endpoint, ProxyFailure.ofConnect(cause), cause);
                return;
              }
              connect(SocketAddress.inetSocketAddress(endpoint.port(), address.getHostAddress()));
            });
  }

  private void connect(SocketAddress server) {
    RequestOptions options =
        new RequestOptions()
            .setServer(server)
            .setMethod(request.method())
            .setURI(outbound.uri())
            .setFollowRedirects(false)
            // The wait for a connection from the pool counts too: beyond it, 503 (ProxyFailure).
            .setConnectTimeout(context.upstreamConnectTimeoutMillis(outbound.settings()));
    String sni = outbound.serverName(endpoint);
    if (sni != null) {
      // The name the TLS handshake indicates; the Host header stays the request's.
      options.setHost(sni);
    }
    context
        .client(outbound.settings())
        .compose(client -> client.request(options))
        .onComplete(
            connected -> {
              if (connected.failed()) {
                if (isTlsFailure(connected.cause())) {
                  // A backend Portico cannot verify (proxy-ssl-*): the operator must know why.
                  LOG.warn(
                      "event=upstream_tls_failed route={} backend={} endpoint={} cause={}",
                      outbound.route(),
                      outbound.backend(),
                      endpoint,
                      rootMessage(connected.cause()));
                }
                if (!cancelled) {
                  listener.failed(
                      endpoint, ProxyFailure.ofConnect(connected.cause()), connected.cause());
                }
                return;
              }
              if (cancelled) {
                // Nothing was written: the connection goes back to the pool unused.
                connected.result().reset();
                return;
              }
              send(connected.result());
            });
  }

  @Override
  public void cancel() {
    cancelled = true;
    if (upstream != null) {
      closeConnection();
    }
    ClientBody body = outbound.body();
    if (body != null) {
      body.discard();
    }
  }

  private void send(HttpClientRequest sending) {
    this.upstream = sending;
    sending.exceptionHandler(
        cause -> LOG.debug("event=upstream_closed backend={} cause={}", outbound.backend(), cause));
    outbound.writeHeaders(sending.headers(), context);
    sending.authority(outbound.authority(endpoint));

    if (outbound.upgrade()) {
      armReadTimeout();
      upgrade();
      return;
    }
    if (outbound.hasBody()) {
      // Framing follows what is sent: a Content-Length the client named in Connection is gone.
      if (!sending.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
        sending.setChunked(true);
      }
      sending.sendHead();
      outbound.presentBody().start(this);
      listener.releaseRequest();
    } else {
      armReadTimeout();
      listener.releaseRequest();
      requestEnded = true;
      sending.end();
    }
    sending
        .response()
        .onComplete(
            answered -> {
              if (cancelled) {
                return;
              }
              if (answered.succeeded()) {
                relay(answered.result());
              } else {
                closeConnection();
                listener.failed(
                    endpoint, ProxyFailure.ofExchange(answered.cause()), answered.cause());
              }
            });
  }

  @Override
  public void bodyChunk(Buffer chunk) {
    if (requestEnded || cancelled) {
      return;
    }
    // The body starts flowing only once send() has set upstream.
    HttpClientRequest upstream = requireNonNull(this.upstream, "upstream");
    upstream.write(chunk);
    if (upstream.writeQueueFull()) {
      ClientBody body = outbound.presentBody();
      body.hold();
      upstream.drainHandler(drained -> body.release());
    }
  }

  @Override
  public void bodyEnd() {
    if (requestEnded || cancelled) {
      return;
    }
    requestEnded = true;
    requireNonNull(upstream, "upstream").end();
    // The backend's silence counts once it has the whole request, as nginx's proxy_read_timeout.
    armReadTimeout();
  }

  /** From now on, the backend's silence longer than the read timeout fails the request (504). */
  private void armReadTimeout() {
    requireNonNull(upstream, "upstream");
    upstream.idleTimeout(context.upstreamReadTimeoutMillis(outbound.settings()));
  }

  /** Streams the backend's response to the client, once the listener has started it. */
  private void relay(HttpClientResponse answer) {
    if (outbound.headTooLarge(answer.statusCode(), answer.statusMessage(), answer.headers())) {
      closeConnection();
      ResponseHeadTooLargeException cause = outbound.headTooLarge(endpoint);
      listener.failed(endpoint, ProxyFailure.UPSTREAM_HEAD_TOO_LARGE, cause);
      return;
    }
    if (!listener.answered(answer.statusCode(), answer.statusMessage(), answer.headers())) {
      closeConnection();
      return;
    }
    ResponseRate rate = outbound.settings().responseRate();
    if (rate.limited()) {
      new ResponseRelay(
              answer, request.response(), rate, context.vertx(), this::relayed, this::aborted)
          .start();
      return;
    }
    String length = answer.getHeader(HttpHeaderNames.CONTENT_LENGTH);
    new ResponseRelay(
            answer, request.response(), contentLength(length), this::relayed, this::aborted)
        .start();
  }

  /**
   * The backend's response ended. A request it did not wait for (a refused upgrade, an early answer
   * to an upload) leaves the connection in the middle of a message: it is closed rather than
   * returned, and the rest of the client's body is dropped.
   */
  private void relayed() {
    if (requestEnded) {
      return;
    }
    closeConnection();
    ClientBody body = outbound.body();
    if (body != null) {
      body.discard();
    }
  }

  /** The backend's response failed while it was being relayed. */
  private void aborted(Throwable cause) {
    closeConnection();
    listener.aborted(cause);
  }

  private void closeConnection() {
    requestEnded = true;
    // Called once send() has set upstream (cancel() checks it first).
    HttpClientRequest sending = requireNonNull(upstream, "upstream");
    if (sending.version() == HttpVersion.HTTP_2) {
      // One stream of a connection that carries others (gRPC): only it stops, with RST_STREAM,
      // which the backend sees as the call's cancellation.
      sending.reset();
      return;
    }
    sending.connection().close();
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
              if (cancelled) {
                return;
              }
              if (answered.failed()) {
                closeConnection();
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

  /** The innermost message of {@code cause}, as one log value. */
  private static String rootMessage(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return ('"' + String.valueOf(root.getMessage()) + '"').replace('\n', ' ');
  }

  private static boolean isTlsFailure(Throwable cause) {
    for (Throwable at = cause; at != null; at = at.getCause()) {
      if (at instanceof SSLException) {
        return true;
      }
    }
    return false;
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
