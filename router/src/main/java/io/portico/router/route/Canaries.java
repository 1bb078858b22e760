package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.CanaryPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The canaries of a route, in the order {@link CanaryPolicy} asks them, and the total their weights
 * are counted over. Backend {@code i} of the route is its own for 0, canary {@code i-1} of this
 * list for 1 and up.
 *
 * @param canaries in order; empty for a route without canaries ({@link #NONE})
 * @param weightTotal the window over which the weights are exact: canary weights add up to at most
 *     this, the main backend takes the rest
 */
public record Canaries(List<Canary> canaries, int weightTotal) {

  /** No canary: every request goes to the route's own backend. */
  public static final Canaries NONE = new Canaries(List.of(), 100);

  public Canaries {
    canaries = List.copyOf(canaries);
    long sum = 0;
    for (Canary canary : canaries) {
      requireNonNull(canary, "canary");
      sum += canary.match().weight();
    }
    if (weightTotal < 1 || sum > weightTotal) {
      throw new IllegalArgumentException(
          "weightTotal: "
              + weightTotal
              + " (expected: at least 1 and the sum of the canaries' weights, "
              + sum
              + ")");
    }
    if (canaries.size() > CanaryPolicy.MAX_CANARIES) {
      throw new IllegalArgumentException(
          "canaries: "
              + canaries.size()
              + " (expected: at most "
              + CanaryPolicy.MAX_CANARIES
              + ")");
    }
  }

  public boolean isEmpty() {
    return canaries.isEmpty();
  }

  /** The number of canaries. */
  public int size() {
    return canaries.size();
  }

  /** Canary {@code index} (0 for the first), by its place in the list. */
  public Canary get(int index) {
    return canaries.get(index);
  }

  /**
   * The backend-choice policy that carries these canaries out; a new one, with its own weight
   * counter, that equals every other made from equal canaries.
   *
   * @throws IllegalStateException for {@link #NONE}
   */
  public CanaryPolicy policy() {
    if (canaries.isEmpty()) {
      throw new IllegalStateException("canaries: none (expected: at least one for a policy)");
    }
    List<CanaryPolicy.Option> options = new ArrayList<>(canaries.size());
    for (Canary canary : canaries) {
      options.add(new CanaryPolicy.Option(canary.match(), !canary.backend().endpoints().isEmpty()));
    }
    return CanaryPolicy.of(options, weightTotal);
  }
}
