package io.portico.controller.annotations;

import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.List;

/**
 * The same request policies on every route of the Ingress, whatever its host and path.
 *
 * @param policies the policies, in the order they were read
 */
record SamePolicies(List<RequestPolicy> policies) implements RoutePolicyRule {

  SamePolicies {
    policies = List.copyOf(policies);
  }

  @Override
  public List<RequestPolicy> policies(HostnamePattern host, PathMatch path) {
    return policies;
  }
}
