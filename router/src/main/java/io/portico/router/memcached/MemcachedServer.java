package io.portico.router.memcached;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Where a memcached server is and how to talk to it, as ingress-nginx's {@code
 * global-rate-limit-memcached-*} ConfigMap keys say.
 *
 * @param host its host name or IP address
 * @param port its port, 1 to 65535
 * @param timeout the longest wait for a connection, and for the answer to each command (nginx's
 *     {@code set_timeout} on the memcached socket covers both)
 * @param maxIdle how long a connection with nothing to do is kept open; zero keeps it open
 * @param poolSize the most connections one event loop opens to the server
 */
public record MemcachedServer(
    String host, int port, Duration timeout, Duration maxIdle, int poolSize) {

  public MemcachedServer {
    requireNonNull(host, "host");
    requireNonNull(timeout, "timeout");
    requireNonNull(maxIdle, "maxIdle");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host: \"\" (expected: a host name or address)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1 to 65535)");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: above zero)");
    }
    if (maxIdle.isNegative()) {
      throw new IllegalArgumentException("maxIdle: " + maxIdle + " (expected: zero or more)");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize: " + poolSize + " (expected: 1 or more)");
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
