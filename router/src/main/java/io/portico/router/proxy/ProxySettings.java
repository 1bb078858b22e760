package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the listeners and the upstream client behave. The defaults follow ingress-nginx where it has
 * one (connect 5 s, read 60 s, client header and body timeouts 60 s).
 *
 * @param bindHost the address the listeners bind, {@code 0.0.0.0} for all interfaces
 * @param httpPort the plain HTTP port, 0 for a free one
 * @param eventLoops the number of event loops, each with its own listener and upstream pool
 * @param upstreamConnectTimeout time to establish a connection to an endpoint; also the longest a
 *     request waits for a pooled connection when every one is busy (then 503)
 * @param upstreamReadTimeout time without a byte from the backend before the request fails
 * @param clientIdleTimeout time an idle client connection is kept open
 * @param maxHeaderSize the largest request header block accepted (431 beyond it; HTTP/2: the
 *     advertised header list size)
 * @param maxInitialLineLength the longest request line accepted (414 beyond it)
 * @param upstreamPoolSize the most connections kept per endpoint and event loop
 * @param upstreamWaitQueue the most requests that wait for a connection per endpoint and event loop
 *     when all {@code upstreamPoolSize} are busy; more get 503 at once
 * @param clientHeaderTimeout time a client has to send a whole request head (HTTP/1.x: 408 and
 *     close), counted from its first byte, or from the connection's start for the first request
 * @param clientBodyTimeout the longest a client may leave a request body without a byte while
 *     Portico reads it (408, or a reset when the response has started)
 * @param maxConnections the most client connections this process keeps open, over all listeners; 0
 *     for no cap
 * @param allowEncodedSlashes whether a request path may carry {@code %2F} (see {@link
 *     io.portico.router.route.RequestPaths#normalizeRequest})
 * @param h2cPriorKnowledge whether the plain listener speaks HTTP/2 to clients that start with its
 *     preface (prior knowledge); the {@code Upgrade: h2c} path is refused either way
 * @param proxyProtocol whether every listener requires a PROXY protocol header (v1 or v2) before
 *     the connection's first byte of HTTP or TLS ({@code use-proxy-protocol}); a connection without
 *     a valid one is closed. Its source address counts as the connection's peer only from peers the
 *     client address rules trust (see {@link io.portico.router.address.ClientAddressRules})
 * @param proxyProtocolTimeout how long a client of such a listener has to send its header before
 *     the connection is closed ({@code proxy-protocol-header-timeout})
 */
public record ProxySettings(
    String bindHost,
    int httpPort,
    int eventLoops,
    Duration upstreamConnectTimeout,
    Duration upstreamReadTimeout,
    Duration clientIdleTimeout,
    int maxHeaderSize,
    int maxInitialLineLength,
    int upstreamPoolSize,
    int upstreamWaitQueue,
    Duration clientHeaderTimeout,
    Duration clientBodyTimeout,
    int maxConnections,
    boolean allowEncodedSlashes,
    boolean h2cPriorKnowledge,
    boolean proxyProtocol,
    Duration proxyProtocolTimeout) {

  public ProxySettings {
    requireNonNull(bindHost, "bindHost");
    requireNonNull(upstreamConnectTimeout, "upstreamConnectTimeout");
    requireNonNull(upstreamReadTimeout, "upstreamReadTimeout");
    requireNonNull(clientIdleTimeout, "clientIdleTimeout");
    requireNonNull(clientHeaderTimeout, "clientHeaderTimeout");
    requireNonNull(clientBodyTimeout, "clientBodyTimeout");
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops: " + eventLoops + " (expected: >= 1)");
    }
    if (upstreamPoolSize < 1) {
      throw new IllegalArgumentException(
          "upstreamPoolSize: " + upstreamPoolSize + " (expected: >= 1)");
    }
    if (upstreamWaitQueue < 0) {
      throw new IllegalArgumentException(
          "upstreamWaitQueue: " + upstreamWaitQueue + " (expected: >= 0)");
    }
    if (maxConnections < 0) {
      throw new IllegalArgumentException(
          "maxConnections: " + maxConnections + " (expected: >= 0, 0 for no cap)");
    }
    requireNonNull(proxyProtocolTimeout, "proxyProtocolTimeout");
    positive("clientHeaderTimeout", clientHeaderTimeout);
    positive("proxyProtocolTimeout", proxyProtocolTimeout);
    positive("clientBodyTimeout", clientBodyTimeout);
  }

  /** The defaults, listening on {@code bindHost:httpPort}. */
  public static ProxySettings defaults(String bindHost, int httpPort) {
    return new ProxySettings(
        bindHost,
        httpPort,
        Runtime.getRuntime().availableProcessors(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        // ingress-nginx's large-client-header-buffers "4 8k": a line of 8k, a head of 32k.
        32 * 1024,
        8 * 1024,
        256,
        1024,
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        0,
        false,
        false,
        false,
        // ingress-nginx's proxy-protocol-header-timeout default.
        Duration.ofSeconds(5));
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public ProxySettings withEventLoops(int loops) {
    return toBuilder().eventLoops(loops).build();
  }

  public ProxySettings withTimeouts(Duration connect, Duration read, Duration clientIdle) {
    return toBuilder()
        .upstreamConnectTimeout(connect)
        .upstreamReadTimeout(read)
        .clientIdleTimeout(clientIdle)
        .build();
  }

  /** These settings with other client header and body timeouts. */
  public ProxySettings withClientTimeouts(Duration header, Duration body) {
    return toBuilder().clientHeaderTimeout(header).clientBodyTimeout(body).build();
  }

  /** These settings with a cap on client connections (0: none). */
  public ProxySettings withMaxConnections(int max) {
    return toBuilder().maxConnections(max).build();
  }

  /** These settings with another per-endpoint pool size and wait queue. */
  public ProxySettings withUpstreamPool(int size, int waitQueue) {
    return toBuilder().upstreamPoolSize(size).upstreamWaitQueue(waitQueue).build();
  }

  /** These settings with encoded slashes in request paths allowed or refused. */
  public ProxySettings withEncodedSlashes(boolean allowed) {
    return toBuilder().allowEncodedSlashes(allowed).build();
  }

  /** These settings with the PROXY protocol required on every listener, or not. */
  public ProxySettings withProxyProtocol(boolean required) {
    return toBuilder().proxyProtocol(required).build();
  }

  /** These settings with HTTP/2 prior knowledge on the plain listener on or off. */
  public ProxySettings withH2cPriorKnowledge(boolean enabled) {
    return toBuilder().h2cPriorKnowledge(enabled).build();
  }

  private static void positive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }

  /** Builds {@link ProxySettings}, one setting at a time. */
  public static final class Builder {
    private String bindHost;
    private int httpPort;
    private int eventLoops;
    private Duration upstreamConnectTimeout;
    private Duration upstreamReadTimeout;
    private Duration clientIdleTimeout;
    private int maxHeaderSize;
    private int maxInitialLineLength;
    private int upstreamPoolSize;
    private int upstreamWaitQueue;
    private Duration clientHeaderTimeout;
    private Duration clientBodyTimeout;
    private int maxConnections;
    private boolean allowEncodedSlashes;
    private boolean h2cPriorKnowledge;
    private boolean proxyProtocol;
    private Duration proxyProtocolTimeout;

    private Builder(ProxySettings from) {
      bindHost = from.bindHost;
      httpPort = from.httpPort;
      eventLoops = from.eventLoops;
      upstreamConnectTimeout = from.upstreamConnectTimeout;
      upstreamReadTimeout = from.upstreamReadTimeout;
      clientIdleTimeout = from.clientIdleTimeout;
      maxHeaderSize = from.maxHeaderSize;
      maxInitialLineLength = from.maxInitialLineLength;
      upstreamPoolSize = from.upstreamPoolSize;
      upstreamWaitQueue = from.upstreamWaitQueue;
      clientHeaderTimeout = from.clientHeaderTimeout;
      clientBodyTimeout = from.clientBodyTimeout;
      maxConnections = from.maxConnections;
      allowEncodedSlashes = from.allowEncodedSlashes;
      h2cPriorKnowledge = from.h2cPriorKnowledge;
      proxyProtocol = from.proxyProtocol;
      proxyProtocolTimeout = from.proxyProtocolTimeout;
    }

    public Builder bindHost(String value) {
      bindHost = value;
      return this;
    }

    public Builder httpPort(int value) {
      httpPort = value;
      return this;
    }

    public Builder eventLoops(int value) {
      eventLoops = value;
      return this;
    }

    public Builder upstreamConnectTimeout(Duration value) {
      upstreamConnectTimeout = value;
      return this;
    }

    public Builder upstreamReadTimeout(Duration value) {
      upstreamReadTimeout = value;
      return this;
    }

    public Builder clientIdleTimeout(Duration value) {
      clientIdleTimeout = value;
      return this;
    }

    public Builder maxHeaderSize(int value) {
      maxHeaderSize = value;
      return this;
    }

    public Builder maxInitialLineLength(int value) {
      maxInitialLineLength = value;
      return this;
    }

    public Builder upstreamPoolSize(int value) {
      upstreamPoolSize = value;
      return this;
    }

    public Builder upstreamWaitQueue(int value) {
      upstreamWaitQueue = value;
      return this;
    }

    public Builder clientHeaderTimeout(Duration value) {
      clientHeaderTimeout = value;
      return this;
    }

    public Builder clientBodyTimeout(Duration value) {
      clientBodyTimeout = value;
      return this;
    }

    public Builder maxConnections(int value) {
      maxConnections = value;
      return this;
    }

    public Builder allowEncodedSlashes(boolean value) {
      allowEncodedSlashes = value;
      return this;
    }

    public Builder h2cPriorKnowledge(boolean value) {
      h2cPriorKnowledge = value;
      return this;
    }

    public Builder proxyProtocol(boolean value) {
      proxyProtocol = value;
      return this;
    }

    public Builder proxyProtocolTimeout(Duration value) {
      proxyProtocolTimeout = value;
      return this;
    }

    public ProxySettings build() {
      return new ProxySettings(
          bindHost,
          httpPort,
          eventLoops,
          upstreamConnectTimeout,
          upstreamReadTimeout,
          clientIdleTimeout,
          maxHeaderSize,
          maxInitialLineLength,
          upstreamPoolSize,
          upstreamWaitQueue,
          clientHeaderTimeout,
          clientBodyTimeout,
          maxConnections,
          allowEncodedSlashes,
          h2cPriorKnowledge,
          proxyProtocol,
          proxyProtocolTimeout);
    }
  }
}
