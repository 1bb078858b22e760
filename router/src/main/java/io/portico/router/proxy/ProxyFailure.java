package io.portico.router.proxy;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * Every way Portico answers a request itself instead of the backend, with its status and body. This
 * is the one place where failures become statuses. Bodies are short and never name an internal
 * address.
 */
public enum ProxyFailure {
  BAD_REQUEST(400, "Bad request: the request path is not valid.", false),
  BAD_HOST(400, "Bad request: the request has no valid Host.", false),
  METHOD_NOT_ALLOWED(405, "Method not allowed: Portico does not forward this method.", false),
  CLIENT_HEADER_TIMEOUT(408, "Request timeout: the request head did not arrive in time.", false),
  CLIENT_BODY_TIMEOUT(408, "Request timeout: the request body stopped arriving.", false),
  BODY_TOO_LARGE(413, "Request entity too large: the body is over this rule's limit.", false),
  NO_ROUTE(404, "Not found: no rule matches this host and path.", false),
  NO_ENDPOINT(503, "Service unavailable: the backend has no ready endpoints.", false),
  POLICY_FAILED(500, "Internal server error: a policy of this rule failed.", false),
  INTERNAL(500, "Internal server error: Portico could not handle this request.", false),
  UPSTREAM_BUSY(
      503, "Service unavailable: every connection to the backend is busy; try again later.", true),
  UPSTREAM_CONNECT(502, "Bad gateway: the backend could not be reached.", true),
  UPSTREAM_REFUSED(502, "Bad gateway: the backend's address is not allowed.", true),
  UPSTREAM_CONNECT_TIMEOUT(504, "Gateway timeout: the backend could not be reached in time.", true),
  UPSTREAM_HEAD_TOO_LARGE(502, "Bad gateway: the backend's response head is too large.", false),
  UPSTREAM_RESET(502, "Bad gateway: the backend closed the connection.", false),
  UPSTREAM_TIMEOUT(504, "Gateway timeout: the backend did not answer in time.", false);

  private final int status;
  private final String body;
  private final boolean beforeRequestSent;

  ProxyFailure(int status, String body, boolean beforeRequestSent) {
    this.status = status;
    this.body = body + "\n";
    this.beforeRequestSent = beforeRequestSent;
  }

  public int status() {
    return status;
  }

  /** The text of the answer. */
  String body() {
    return body;
  }

  /**
   * Whether this failure happens before any byte of the request reaches the backend, which makes a
   * retry on another endpoint safe for any method.
   */
  public boolean beforeRequestSent() {
    return beforeRequestSent;
  }

  /**
   * Classifies a failure to obtain a connection to an endpoint: a connection attempt that timed out
   * (504) is told apart from a wait for a busy pool that did (503), and from a pool whose wait
   * queue is full (503).
   */
  static ProxyFailure ofConnect(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return UPSTREAM_CONNECT_TIMEOUT;
    }
    if (cause instanceof UpstreamBusyException || cause instanceof ConnectionPoolTooBusyException) {
      return UPSTREAM_BUSY;
    }
    if (cause instanceof UpstreamAddressGuard.RefusedException) {
      return UPSTREAM_REFUSED;
    }
    if (cause instanceof TimeoutException) {
      // Vert.x's client: no connection from its pool within the request's connect timeout.
      return UPSTREAM_BUSY;
    }
    return UPSTREAM_CONNECT;
  }

  /** Classifies a failure after the request started towards the backend. */
  static ProxyFailure ofExchange(Throwable cause) {
    if (cause instanceof TimeoutException) {
      return UPSTREAM_TIMEOUT;
    }
    if (cause instanceof ConnectException
        || cause instanceof NoRouteToHostException
        || cause instanceof UnknownHostException) {
      return UPSTREAM_CONNECT;
    }
    return UPSTREAM_RESET;
  }

  /** Whether the connection closed before the backend answered (a stale keep-alive connection). */
  static boolean isClosedBeforeResponse(Throwable cause) {
    return cause instanceof HttpClosedException
        || cause instanceof UpstreamConnection.ClosedException;
  }

  /**
   * Sends this failure as the response to {@code request}, unless a response has already started
   * (then the response is cut short). When the client is still sending a request body that nothing
   * will read, an HTTP/1.x connection closes after the answer ({@code Connection: close}): the rest
   * of the body would otherwise hold it, and a body that drips in slowly would hold it for as long
   * as the client likes. It closes the way {@link LingeringClose} says, so that the client reads
   * the answer rather than a reset; after a body timeout at once, since that client has sent
   * nothing for the whole timeout already.
   */
  void send(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    if (response.headWritten() || response.closed()) {
      if (!response.ended() && !response.closed()) {
        response.reset();
      }
      return;
    }
    response
        .setStatusCode(status)
        .putHeader("content-type", "text/plain; charset=utf-8")
        .putHeader("cache-control", "no-store");
    if (request.version() != HttpVersion.HTTP_2
        && UpstreamRequest.hasBody(request)
        && !request.isEnded()) {
      response.putHeader("connection", "close");
      if (this == CLIENT_BODY_TIMEOUT) {
        response.end(body).onComplete(written -> request.connection().close());
      } else {
        response.end(body).onComplete(written -> LingeringClose.after(request));
      }
      return;
    }
    response.end(body);
  }
}
