package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the listeners and the upstream client behave. The defaults follow ingress-nginx where it has
 * one (connect 5 s, read 60 s).
 *
 * @param bindHost the address the listeners bind, {@code 0.0.0.0} for all interfaces
 * @param httpPort the plain HTTP port, 0 for a free one
 * @param eventLoops the number of event loops, each with its own listener and upstream pool
 * @param upstreamConnectTimeout time to establish a connection to an endpoint
 * @param upstreamReadTimeout time without a byte from the backend before the request fails
 * @param clientIdleTimeout time an idle client connection is kept open
 * @param maxHeaderSize the largest request header block accepted (431 beyond it)
 * @param maxInitialLineLength the longest request line accepted (414 beyond it)
 * @param upstreamPoolSize the most connections kept per endpoint and event loop
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
    int upstreamPoolSize) {

  public ProxySettings {
    requireNonNull(bindHost, "bindHost");
    requireNonNull(upstreamConnectTimeout, "upstreamConnectTimeout");
    requireNonNull(upstreamReadTimeout, "upstreamReadTimeout");
    requireNonNull(clientIdleTimeout, "clientIdleTimeout");
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops: " + eventLoops + " (expected: >= 1)");
    }
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
        16 * 1024,
        8 * 1024,
        256);
  }

  public ProxySettings withEventLoops(int loops) {
    return new ProxySettings(
        bindHost,
        httpPort,
        loops,
        upstreamConnectTimeout,
        upstreamReadTimeout,
        clientIdleTimeout,
        maxHeaderSize,
        maxInitialLineLength,
        upstreamPoolSize);
  }

  public ProxySettings withTimeouts(Duration connect, Duration read, Duration clientIdle) {
    return new ProxySettings(
        bindHost,
        httpPort,
        eventLoops,
        connect,
        read,
        clientIdle,
        maxHeaderSize,
        maxInitialLineLength,
        upstreamPoolSize);
  }
}
