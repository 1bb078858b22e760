package io.portico.router.route;

import static java.util.Objects.requireNonNull;

/**
 * One host/path rule: what it matches, where it sends requests, which object it came from, and how
 * it treats plain HTTP and HTTPS.
 */
public record Route(
    HostnamePattern host, PathMatch path, Backend backend, RouteOrigin origin, HttpsPolicy https) {

  public Route {
    requireNonNull(host, "host");
    requireNonNull(path, "path");
    requireNonNull(backend, "backend");
    requireNonNull(origin, "origin");
    requireNonNull(https, "https");
  }

  /** A rule without TLS: {@link HttpsPolicy#NONE}. */
  public Route(HostnamePattern host, PathMatch path, Backend backend, RouteOrigin origin) {
    this(host, path, backend, origin, HttpsPolicy.NONE);
  }

  /** The key two rules conflict on: the same host, path and match type. */
  RouteKey key() {
    return new RouteKey(host, path);
  }

  record RouteKey(HostnamePattern host, PathMatch path) {}
}
