package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.balance.BackendPolicy;
import java.util.List;

/**
 * Where a route sends requests: a Service port, the endpoints that may receive traffic, and how
 * they share it.
 *
 * @param id the Service port as the Ingress names it
 * @param endpoints the endpoints new requests are balanced over: the ready ones, or the serving but
 *     terminating ones when none is ready; empty means the backend answers 503
 * @param draining serving endpoints that are terminating while others are ready: they take no new
 *     clients, only those already pinned to them by session affinity
 * @param policy load balancing and session affinity, as the Ingress that names this backend asks
 */
public record Backend(
    BackendId id, List<Endpoint> endpoints, List<Endpoint> draining, BackendPolicy policy) {

  public Backend {
    requireNonNull(id, "id");
    endpoints = List.copyOf(endpoints);
    draining = List.copyOf(draining);
    requireNonNull(policy, "policy");
  }

  /** A backend with the default policy (round robin, no affinity). */
  public Backend(BackendId id, List<Endpoint> endpoints, List<Endpoint> draining) {
    this(id, endpoints, draining, BackendPolicy.DEFAULT);
  }

  /** A backend without draining endpoints, with the default policy. */
  public static Backend of(BackendId id, List<Endpoint> endpoints) {
    return new Backend(id, endpoints, List.of());
  }

  /** This backend with another policy. */
  public Backend withPolicy(BackendPolicy policy) {
    return new Backend(id, endpoints, draining, policy);
  }

  /** {@code ns/svc:port [endpoints] draining [endpoints] {policy}}, each part only when present. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(id.toString()).append(' ').append(endpoints);
    if (!draining.isEmpty()) {
      out.append(" draining ").append(draining);
    }
    if (!policy.isDefault()) {
      out.append(" {").append(policy).append('}');
    }
    return out.toString();
  }
}
