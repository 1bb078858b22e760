package io.portico.router.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmoothWeightsTest {

  private static int[] counts(SmoothWeights weights, long from, int n) {
    int[] counts = new int[weights.size()];
    for (long i = from; i < from + n; i++) {
      counts[weights.at(i)]++;
    }
    return counts;
  }

  @Test
  void everyWindowOfTheTotalHoldsEachOptionExactlyItsWeight() {
    List<int[]> cases =
        List.of(
            new int[] {95, 5},
            new int[] {90, 10},
            new int[] {50, 50},
            new int[] {0, 100},
            new int[] {1, 1},
            new int[] {1},
            new int[] {80, 15, 5},
            new int[] {900, 100},
            new int[] {999, 1},
            new int[] {60, 0, 40},
            new int[] {333, 333, 334},
            new int[] {7, 3, 2, 1});
    for (int[] weights : cases) {
      SmoothWeights selection = SmoothWeights.of(weights);
      int total = selection.total();
      for (long window : new long[] {0, 1, 7, 1_000_003}) {
        assertArrayEquals(
            weights,
            counts(selection, window * total, total),
            "window " + window + " of " + selection);
      }
    }
  }

  @Test
  void nextWalksTheSequenceFromItsStartAndTheMainOptionComesFirst() {
    SmoothWeights selection = SmoothWeights.of(90, 10);
    int[] counts = new int[2];
    List<Integer> first = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int choice = selection.next();
      counts[choice]++;
      if (i < 3) {
        first.add(choice);
      }
    }
    assertArrayEquals(new int[] {270, 30}, counts);
    assertEquals(0, first.get(0), "a new selection starts with option 0");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 10, 25, 50})
  void choicesAreSpreadNotBunched(int canary) {
    // A canary of weight w in 100 comes at least once in every run of ceil(100/w)+a few choices:
    // the slots of consecutive choices are spread around the circle.
    SmoothWeights selection = SmoothWeights.of(100 - canary, canary);
    int longestGap = 0;
    int gap = 0;
    for (int i = 0; i < 1000; i++) {
      if (selection.at(i) == 1) {
        longestGap = Math.max(longestGap, gap);
        gap = 0;
      } else {
        gap++;
      }
    }
    int even = (100 + canary - 1) / canary;
    assertTrue(
        longestGap <= 2 * even + 1,
        "longest run without the canary: " + longestGap + " for " + canary);
  }

  @Test
  void theStrideIsPrimeToTheTotal() {
    for (int total = 1; total <= 2000; total++) {
      long stride = SmoothWeights.stride(total);
      assertTrue(stride >= 1 && stride <= Math.max(1, total), "stride " + stride + " of " + total);
      long a = stride;
      long b = total;
      while (b != 0) {
        long r = a % b;
        a = b;
        b = r;
      }
      assertEquals(1, a, "stride " + stride + " of " + total);
    }
  }

  @Test
  void equalWeightsAreEqualWhateverTheirCounters() {
    SmoothWeights a = SmoothWeights.of(90, 10);
    SmoothWeights b = SmoothWeights.of(90, 10);
    a.next();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
  }

  @Test
  void refusesWhatCannotBeChosenFrom() {
    assertThrows(IllegalArgumentException.class, SmoothWeights::of);
    assertThrows(IllegalArgumentException.class, () -> SmoothWeights.of(0, 0));
    assertThrows(IllegalArgumentException.class, () -> SmoothWeights.of(10, -1));
    assertThrows(
        IllegalArgumentException.class,
        () -> SmoothWeights.of(Integer.MAX_VALUE, Integer.MAX_VALUE));
  }
}
