package io.portico.router.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmoothWeightedChoiceTest {

  @Test
  void everyCycleOfTheTotalIsExactAndInterleaved() {
    SmoothWeightedChoice choice = new SmoothWeightedChoice(new int[] {5, 1, 1});
    List<Integer> cycle = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      cycle.add(choice.next());
    }
    // nginx's example: a a b a c a a.
    assertEquals(List.of(0, 0, 1, 0, 2, 0, 0), cycle);
    for (int i = 0; i < 7; i++) {
      assertEquals(cycle.get(i), choice.next());
    }
  }

  @Test
  void zeroWeightsAreNeverChosenAndAllZeroIsRefused() {
    SmoothWeightedChoice choice = new SmoothWeightedChoice(new int[] {0, 3, 0});
    for (int i = 0; i < 10; i++) {
      assertEquals(1, choice.next());
    }
    assertThrows(IllegalArgumentException.class, () -> new SmoothWeightedChoice(new int[] {0}));
  }
}
