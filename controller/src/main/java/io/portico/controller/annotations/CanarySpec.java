package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.CanaryMatch;

/**
 * What a canary Ingress asks of the rules it joins, as the {@link CanaryFamily} read it.
 *
 * @param match its header, cookie and weight
 * @param weightTotal the total its weight counts over, 100 or more
 * @param sticky whether its backend shares the main backend's session affinity ({@code
 *     affinity-canary-behavior: sticky}), so that sessions it starts stay on it
 */
public record CanarySpec(CanaryMatch match, int weightTotal, boolean sticky) {

  public CanarySpec {
    requireNonNull(match, "match");
    if (weightTotal < 1 || match.weight() > weightTotal) {
      throw new IllegalArgumentException(
          "weightTotal: " + weightTotal + " (expected: at least 1 and the weight)");
    }
  }
}
