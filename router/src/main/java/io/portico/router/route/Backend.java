package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where a route sends requests: a Service port and the endpoints that may receive traffic.
 *
 * @param id the Service port as the Ingress names it
 * @param endpoints the endpoints new requests are balanced over: the ready ones, or the serving but
 *     terminating ones when none is ready; empty means the backend answers 503
 * @param draining serving endpoints that are terminating while others are ready: they take no new
 *     clients, only those already pinned to them by session affinity
 */
public record Backend(BackendId id, List<Endpoint> endpoints, List<Endpoint> draining) {

  public Backend {
    requireNonNull(id, "id");
    endpoints = List.copyOf(endpoints);
    draining = List.copyOf(draining);
  }

  /** A backend without draining endpoints. */
  public static Backend of(BackendId id, List<Endpoint> endpoints) {
    return new Backend(id, endpoints, List.of());
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(id.toString()).append(' ').append(endpoints);
    if (!draining.isEmpty()) {
      out.append(" draining ").append(draining);
    }
    return out.toString();
  }
}
