package io.portico.controller.annotations;

import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.List;

/**
 * A family's request policies for the routes of one Ingress, decided once when the Ingress is read.
 * Which policies a route gets may depend on its host and path (a redirect only on TLS hosts, a
 * rewrite on the path's pattern). Implementations are records holding what they precomputed, so
 * that an unchanged Ingress gives equal routes and publishes nothing new.
 */
public interface RoutePolicyRule {

  /** The policies of a route of the Ingress on {@code host} and {@code path}; often empty. */
  List<RequestPolicy> policies(HostnamePattern host, PathMatch path);
}
