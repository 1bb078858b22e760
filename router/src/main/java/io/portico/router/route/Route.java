package io.portico.router.route;

import static java.util.Objects.requireNonNull;

/** One host/path rule: what it matches, where it sends requests, and which object it came from. */
public record Route(HostnamePattern host, PathMatch path, Backend backend, RouteOrigin origin) {

  public Route {
    requireNonNull(host, "host");
    requireNonNull(path, "path");
    requireNonNull(backend, "backend");
    requireNonNull(origin, "origin");
  }

  /** The key two rules conflict on: the same host, path and match type. */
  RouteKey key() {
    return new RouteKey(host, path);
  }

  record RouteKey(HostnamePattern host, PathMatch path) {}
}
