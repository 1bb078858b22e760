package io.portico.router.balance;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic weighted choice among a few options, exact over every window of {@link #total()}
 * choices: option {@code i} is chosen exactly {@code weights[i]} times in choices {@code 0 ..
 * total-1}, again in {@code total .. 2*total-1}, and so on. A weight of 5 in a total of 100 is 5 of
 * every 100 choices, not 5% on average, as a coin flip per request would give.
 *
 * <p>The choices are spread evenly, not in runs: choice {@code n} takes the slot {@code (n *
 * stride) mod total}, where the stride is prime to the total and near {@code total / φ} (the golden
 * ratio), and option {@code i} owns {@code weights[i]} consecutive slots. Because the stride is
 * prime to the total, every window of {@code total} choices visits every slot once; because it is
 * near {@code total / φ}, the slots of one window fall far apart (the three-gap theorem), so an
 * option with a tenth of the weight comes about every tenth choice. Option 0 owns the first slots,
 * so the first choice of a new selection takes option 0 (the main backend of a canary rule).
 *
 * <p>One counter, shared by every thread: a choice is one atomic increment and a short scan, no
 * lock and no allocation. The counter is not part of equality: two selections with the same weights
 * are equal, so routes holding them compare equal across translations.
 */
public final class SmoothWeights {

  private final int[] weights;
  // ends[i]: the first slot after option i's.
  private final int[] ends;
  private final int total;
  private final long stride;
  private final AtomicLong next = new AtomicLong();

  private SmoothWeights(int[] weights) {
    this.weights = weights;
    this.ends = new int[weights.length];
    long sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      if (sum > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "weights: " + Arrays.toString(weights) + " (expected: a sum up to 2^31-1)");
      }
      ends[i] = (int) sum;
    }
    this.total = (int) sum;
    this.stride = stride(total);
  }

  /**
   * A selection among {@code weights.length} options with these weights.
   *
   * @throws IllegalArgumentException when there is no option, a weight is negative or all are 0
   */
  public static SmoothWeights of(int... weights) {
    if (weights.length == 0) {
      throw new IllegalArgumentException("weights: [] (expected: at least one)");
    }
    long sum = 0;
    for (int weight : weights) {
      if (weight < 0) {
        throw new IllegalArgumentException(
            "weights: " + Arrays.toString(weights) + " (expected: none negative)");
      }
      sum += weight;
    }
    if (sum == 0) {
      throw new IllegalArgumentException(
          "weights: " + Arrays.toString(weights) + " (expected: at least one above 0)");
    }
    return new SmoothWeights(weights.clone());
  }

  /** The next choice: the index of an option whose weight is above 0. */
  public int next() {
    return at(next.getAndIncrement());
  }

  /** The choice at position {@code n} of the sequence, which {@link #next()} walks. */
  public int at(long n) {
    long slot = Math.floorMod(n, (long) total) * stride % total;
    int option = 0;
    while (slot >= ends[option]) {
      option++;
    }
    return option;
  }

  /** The number of options. */
  public int size() {
    return weights.length;
  }

  /** The weight of option {@code index}. */
  public int weight(int index) {
    return weights[index];
  }

  /** The sum of the weights: the length of the window over which the counts are exact. */
  public int total() {
    return total;
  }

  /** The integer nearest {@code total / φ} that is prime to {@code total}, 1 for totals up to 2. */
  static long stride(int total) {
    if (total <= 2) {
      return 1;
    }
    long near = Math.round(total / ((1 + Math.sqrt(5)) / 2));
    for (long offset = 0; ; offset++) {
      if (near - offset >= 1 && gcd(near - offset, total) == 1) {
        return near - offset;
      }
      if (gcd(near + offset, total) == 1) {
        return near + offset;
      }
    }
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long r = a % b;
      a = b;
      b = r;
    }
    return a;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof SmoothWeights other && Arrays.equals(weights, other.weights));
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights);
  }

  /** The weights, {@code [90, 10]}. */
  @Override
  public String toString() {
    return Arrays.toString(weights);
  }
}
