package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * How one route talks to its backend: timeouts, retries, the body limit, the response head limit,
 * the protocol and TLS to the backend. One immutable value per route, computed in translation and
 * shared by equal routes; every route that sets nothing holds {@link #DEFAULT}, whose zeros defer
 * to the listener's settings, so that such routes cost nothing more per request.
 *
 * @param connectTimeoutMillis time to connect to an endpoint ({@code proxy-connect-timeout}); 0 for
 *     the listener's
 * @param readTimeoutMillis the longest silence of the backend between two reads ({@code
 *     proxy-read-timeout}); 0 for the listener's
 * @param sendTimeoutMillis the longest the backend may leave the request body unread between two
 *     writes ({@code proxy-send-timeout}); 0 for the read timeout
 * @param maxBodyBytes the largest request body accepted ({@code proxy-body-size}); 0 for no limit
 * @param maxResponseHeadBytes the largest response head accepted from the backend ({@code
 *     proxy-buffer-size}); 0 for the listener's
 * @param retry when a failed attempt goes to the next endpoint ({@code proxy-next-upstream*})
 * @param protocol how Portico speaks to the backend ({@code backend-protocol})
 * @param tls how the backend's TLS is checked, when {@code protocol} has TLS ({@code proxy-ssl-*})
 * @param http10 whether requests go upstream as HTTP/1.0 ({@code proxy-http-version: 1.0})
 * @param connectionHeader the {@code Connection} header sent upstream ({@code
 *     connection-proxy-header}); empty for Portico's own (keep-alive)
 * @param deadlines limits on the whole request and on each attempt (an HTTPRoute's {@code
 *     timeouts}); {@link RequestDeadlines#NONE} for Ingress routes
 * @param responseRate how fast response bodies go to the client ({@code limit-rate}, {@code
 *     limit-rate-after}); {@link ResponseRate#NONE} for no limit
 */
public record UpstreamSettings(
    long connectTimeoutMillis,
    long readTimeoutMillis,
    long sendTimeoutMillis,
    long maxBodyBytes,
    int maxResponseHeadBytes,
    RetryPolicy retry,
    BackendProtocol protocol,
    BackendTls tls,
    boolean http10,
    String connectionHeader,
    RequestDeadlines deadlines,
    ResponseRate responseRate) {

  /** Everything as the listener says, ingress-nginx's retries, plain HTTP/1.1, no body limit. */
  public static final UpstreamSettings DEFAULT =
      new UpstreamSettings(
          0,
          0,
          0,
          0,
          0,
          RetryPolicy.DEFAULT,
          BackendProtocol.HTTP,
          BackendTls.DEFAULT,
          false,
          "",
          RequestDeadlines.NONE,
          ResponseRate.NONE);

  public UpstreamSettings {
    nonNegative("connectTimeoutMillis", connectTimeoutMillis);
    nonNegative("readTimeoutMillis", readTimeoutMillis);
    nonNegative("sendTimeoutMillis", sendTimeoutMillis);
    nonNegative("maxBodyBytes", maxBodyBytes);
    nonNegative("maxResponseHeadBytes", maxResponseHeadBytes);
    requireNonNull(retry, "retry");
    requireNonNull(protocol, "protocol");
    requireNonNull(tls, "tls");
    requireNonNull(connectionHeader, "connectionHeader");
    requireNonNull(deadlines, "deadlines");
    requireNonNull(responseRate, "responseRate");
    if (connectionHeader.indexOf('\r') >= 0 || connectionHeader.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(
          "connectionHeader: " + connectionHeader + " (expected: no CR or LF)");
    }
    if (http10 && protocol.http2()) {
      throw new IllegalArgumentException(
          "http10: true (expected: false with protocol " + protocol + ", which is HTTP/2)");
    }
  }

  // Canonical instances, held while some route holds them: equal routes share one.
  private static final Cache<UpstreamSettings, UpstreamSettings> CANONICAL =
      Caffeine.newBuilder().weakValues().build();

  /**
   * The one instance equal to {@code settings} ({@link #DEFAULT} when equal to it), so that equal
   * routes, of one Ingress or many, share it.
   */
  public static UpstreamSettings of(UpstreamSettings settings) {
    if (DEFAULT.equals(settings)) {
      return DEFAULT;
    }
    return CANONICAL.get(settings, same -> same);
  }

  /**
   * Whether the event loop's own HTTP/1.1 connections may carry requests with these settings:
   * clear-text HTTP/1.1 with Portico's own {@code Connection} header, and no pacing of the response
   * (which only the relay of Vert.x's client does, so that the pool's path stays as it is).
   */
  public boolean pooled() {
    return !protocol.tls()
        && !protocol.http2()
        && !http10
        && connectionHeader.isEmpty()
        && !responseRate.limited();
  }

  /** Whether requests upstream get a header of these settings ({@code TE}, {@code Connection}). */
  public boolean addsHeaders() {
    return protocol.http2() || !connectionHeader.isEmpty();
  }

  /** The connect timeout, {@code listener}'s when none is set here. */
  public long connectTimeoutMillis(long listener) {
    return connectTimeoutMillis > 0 ? connectTimeoutMillis : listener;
  }

  /** The read timeout, {@code listener}'s when none is set here. */
  public long readTimeoutMillis(long listener) {
    return readTimeoutMillis > 0 ? readTimeoutMillis : listener;
  }

  /** The send timeout: its own, else the read timeout. */
  public long sendTimeoutMillis(long listenerRead) {
    return sendTimeoutMillis > 0 ? sendTimeoutMillis : readTimeoutMillis(listenerRead);
  }

  /**
   * These settings for the route's error backend ({@link ErrorPages}): plain HTTP/1.1 with
   * Portico's own {@code Connection} header, as ingress-nginx's custom-error location proxies to
   * {@code http://} whatever the rule's {@code backend-protocol}; the timeouts, retries and
   * response head limit stay the route's. The same instance when the route speaks plain HTTP/1.1
   * already.
   */
  public UpstreamSettings forErrorPage() {
    if (pooled()) {
      return this;
    }
    return withProtocol(BackendProtocol.HTTP, BackendTls.DEFAULT).withHttpVersion(false, "");
  }

  /** These settings with another retry policy. */
  public UpstreamSettings withRetry(RetryPolicy policy) {
    return copy(c -> c.retry = policy);
  }

  /** These settings with other timeouts, in milliseconds (0: the listener's). */
  public UpstreamSettings withTimeouts(long connect, long read, long send) {
    return copy(
        c -> {
          c.connectTimeoutMillis = connect;
          c.readTimeoutMillis = read;
          c.sendTimeoutMillis = send;
        });
  }

  /** These settings with another body limit (0: none). */
  public UpstreamSettings withMaxBodyBytes(long max) {
    return copy(c -> c.maxBodyBytes = max);
  }

  /** These settings with another response head limit (0: the listener's). */
  public UpstreamSettings withMaxResponseHeadBytes(int max) {
    return copy(c -> c.maxResponseHeadBytes = max);
  }

  /** These settings with another protocol and TLS. */
  public UpstreamSettings withProtocol(BackendProtocol to, BackendTls with) {
    return copy(
        c -> {
          c.protocol = to;
          c.tls = with;
        });
  }

  /** These settings with another HTTP version and {@code Connection} header upstream. */
  public UpstreamSettings withHttpVersion(boolean useHttp10, String connection) {
    return copy(
        c -> {
          c.http10 = useHttp10;
          c.connectionHeader = connection;
        });
  }

  /** These settings with other limits on the whole request and on each attempt. */
  public UpstreamSettings withDeadlines(RequestDeadlines limits) {
    return copy(c -> c.deadlines = limits);
  }

  /** These settings with another pace for response bodies. */
  public UpstreamSettings withResponseRate(ResponseRate rate) {
    return copy(c -> c.responseRate = rate);
  }

  private UpstreamSettings copy(java.util.function.Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /**
   * Every field of a settings, changeable: each {@code with} method names only what it changes, and
   * a new field is added here once instead of in every one of them.
   */
  private static final class Copy {
    long connectTimeoutMillis;
    long readTimeoutMillis;
    long sendTimeoutMillis;
    long maxBodyBytes;
    int maxResponseHeadBytes;
    RetryPolicy retry;
    BackendProtocol protocol;
    BackendTls tls;
    boolean http10;
    String connectionHeader;
    RequestDeadlines deadlines;
    ResponseRate responseRate;

    Copy(UpstreamSettings from) {
      connectTimeoutMillis = from.connectTimeoutMillis;
      readTimeoutMillis = from.readTimeoutMillis;
      sendTimeoutMillis = from.sendTimeoutMillis;
      maxBodyBytes = from.maxBodyBytes;
      maxResponseHeadBytes = from.maxResponseHeadBytes;
      retry = from.retry;
      protocol = from.protocol;
      tls = from.tls;
      http10 = from.http10;
      connectionHeader = from.connectionHeader;
      deadlines = from.deadlines;
      responseRate = from.responseRate;
    }

    UpstreamSettings build() {
      return new UpstreamSettings(
          connectTimeoutMillis,
          readTimeoutMillis,
          sendTimeoutMillis,
          maxBodyBytes,
          maxResponseHeadBytes,
          retry,
          protocol,
          tls,
          http10,
          connectionHeader,
          deadlines,
          responseRate);
    }
  }

  private static void nonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
    }
  }
}
