package io.portico.router.proxy;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
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
  NO_ROUTE(404, "Not found: no rule matches this host and path.", false),
  NO_ENDPOINT(503, "Service unavailable: the backend has no ready endpoints.", false),
  POLICY_FAILED(500, "Internal server error: a policy of this rule failed.", false),
  UPSTREAM_CONNECT(502, "Bad gateway: the backend could not be reached.", true),
  UPSTREAM_CONNECT_TIMEOUT(504, "Gateway timeout: the backend could not be reached in time.", true),
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

  /**
   * Whether this failure happens before any byte of the request reaches the backend, which makes a
   * retry on another endpoint safe for any method.
   */
  public boolean beforeRequestSent() {
    return beforeRequestSent;
  }

  /** Classifies a failure to obtain a connection to an endpoint. */
  static ProxyFailure ofConnect(Throwable cause) {
    if (cause instanceof ConnectTimeoutException || cause instanceof TimeoutException) {
      return UPSTREAM_CONNECT_TIMEOUT;
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

  /** Sends this failure as the response, unless a response has already started. */
  void send(HttpServerResponse response) {
    if (response.headWritten() || response.closed()) {
      if (!response.ended() && !response.closed()) {
        response.reset();
      }
      return;
    }
    response
        .setStatusCode(status)
        .putHeader("content-type", "text/plain; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(body);
  }
}
