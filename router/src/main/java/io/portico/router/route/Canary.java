package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.CanaryMatch;

/**
 * An alternative backend of a route, and what sends requests to it.
 *
 * @param backend where the canary's requests go
 * @param origin the object that declares the canary (a canary Ingress)
 * @param match its header, cookie and weight
 */
public record Canary(Backend backend, RouteOrigin origin, CanaryMatch match) {

  public Canary {
    requireNonNull(backend, "backend");
    requireNonNull(origin, "origin");
    requireNonNull(match, "match");
  }
}
