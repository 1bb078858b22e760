package io.portico.router.route;

import static java.util.Objects.requireNonNull;

/**
 * One backend of a Gateway API rule with its share of the rule's requests: the {@link Route} holds
 * the backend and the policies that apply when it is chosen (the rule's filters, then the backend's
 * own).
 *
 * @param weight the share, relative to the rule's other backends; 0 is never chosen
 * @param route what serves a request sent to this backend
 */
public record WeightedRoute(int weight, Route route) {

  public WeightedRoute {
    if (weight < 0) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: 0 or more)");
    }
    requireNonNull(route, "route");
  }
}
