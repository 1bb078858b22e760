package io.portico.router.balance;

import java.util.Arrays;

/**
 * Chooses among weighted options exactly in proportion to their weights, spread evenly: nginx's
 * smooth weighted round robin. With weights 70 and 30, every run of 100 choices makes exactly 70 of
 * the first and 30 of the second, interleaved (never 70 in a row); an option of weight 0 is never
 * chosen. Deterministic: no randomness, so a split is exact rather than close, however few
 * requests.
 *
 * <p>Each choice adds every option's weight to its running score, takes the highest score and
 * lowers it by the total. Thread-safe: the choice is one short critical section over a handful of
 * integers, shared by the event loops that serve one rule.
 */
public final class SmoothWeightedChoice {

  private final int[] weights;
  private final long total;
  private final long[] scores;

  /**
   * @param weights the options' weights, each at least 0, with at least one above 0
   */
  public SmoothWeightedChoice(int[] weights) {
    long sum = 0;
    for (int weight : weights) {
      if (weight < 0) {
        throw new IllegalArgumentException(
            "weights: " + Arrays.toString(weights) + " (expected: none below 0)");
      }
      sum += weight;
    }
    if (sum == 0) {
      throw new IllegalArgumentException(
          "weights: " + Arrays.toString(weights) + " (expected: one above 0)");
    }
    this.weights = weights.clone();
    this.total = sum;
    this.scores = new long[weights.length];
  }

  /** The index of the next option. */
  public int next() {
    synchronized (scores) {
      int best = -1;
      for (int i = 0; i < weights.length; i++) {
        if (weights[i] == 0) {
          continue;
        }
        scores[i] += weights[i];
        if (best < 0 || scores[i] > scores[best]) {
          best = i;
        }
      }
      scores[best] -= total;
      return best;
    }
  }
}
