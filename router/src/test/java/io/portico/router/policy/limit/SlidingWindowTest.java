package io.portico.router.policy.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The approximate sliding window, with counters in memory and a clock the test moves. */
class SlidingWindowTest {

  /** Counters in a map, as memcached would keep them (expiry aside). */
  private static final class MapCounters implements SharedCounters {
    final Map<String, Long> counts = new HashMap<>();

    @Override
    public CompletionStage<long[]> counts(List<String> keys) {
      long[] out = new long[keys.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = counts.getOrDefault(keys.get(i), 0L);
      }
      return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<Long> increment(String key, int expirySeconds) {
      return CompletableFuture.completedFuture(counts.merge(key, 1L, Long::sum));
    }
  }

  private final MapCounters counters = new MapCounters();
  // Ten-second windows starting at multiples of 10 000 ms.
  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private final SlidingWindow window = new SlidingWindow(counters, now::get);

  private SlidingWindow.Verdict once(String sample) {
    return window.process("default/app", sample, 5, 10).toCompletableFuture().join();
  }

  @Test
  void theFirstWindowTakesTheLimitThenWaitsForItsEnd() {
    now.addAndGet(2_000);
    for (int i = 0; i < 5; i++) {
      assertFalse(once("a").over(), "request " + i);
    }
    SlidingWindow.Verdict sixth = once("a");
    assertTrue(sixth.over());
    assertEquals(8_000, sixth.delayMillis(), "the rest of the window");
    assertFalse(once("b").over(), "another key counts on its own");
  }

  @Test
  void thePreviousWindowsRateCarriesOverTheRestOfThisOne() {
    for (int i = 0; i < 5; i++) {
      assertFalse(once("a").over());
    }
    // Half-way through the next window, half of the previous count still weighs: 2.5.
    now.addAndGet(15_000);
    assertFalse(once("a").over(), "estimate 2.5");
    assertFalse(once("a").over(), "estimate 3.5");
    assertFalse(once("a").over(), "estimate 4.5");
    SlidingWindow.Verdict over = once("a");
    assertTrue(over.over(), "estimate 5.5");
    // Two more fit once the carried-over share drops to 2: after 4 of the remaining 5 seconds.
    assertEquals(1_000, over.delayMillis());
  }

  @Test
  void aRequestOverTheLimitIsNotCounted() {
    for (int i = 0; i < 7; i++) {
      once("a");
    }
    String prefix = SlidingWindow.prefix("default/app", "a");
    assertEquals(5L, counters.counts.get(prefix + "." + now.get() / 10_000));
  }

  @Test
  void whenOtherReplicasCountedFirstTheRequestIsOverAfterAll() {
    String current = SlidingWindow.prefix("default/app", "a") + "." + now.get() / 10_000;
    // Between this replica's read and its increment, others took the rest of the limit.
    SharedCounters racing =
        new SharedCounters() {
          @Override
          public CompletionStage<long[]> counts(List<String> keys) {
            return CompletableFuture.completedFuture(new long[] {4, 0});
          }

          @Override
          public CompletionStage<Long> increment(String key, int expirySeconds) {
            assertEquals(current, key);
            assertEquals(20, expirySeconds, "two windows");
            return CompletableFuture.completedFuture(6L);
          }
        };
    SlidingWindow.Verdict verdict =
        new SlidingWindow(racing, now::get)
            .process("default/app", "a", 5, 10)
            .toCompletableFuture()
            .join();
    assertTrue(verdict.over());
    assertEquals(10_000, verdict.delayMillis());
  }

  @Test
  void keysAreShortHexadecimalAndDifferByZoneAndSample() {
    String key = SlidingWindow.prefix("default/app", "10.0.0.1");
    assertTrue(key.matches("[0-9a-f]{32}"), key);
    assertFalse(key.equals(SlidingWindow.prefix("default/other", "10.0.0.1")));
    assertFalse(key.equals(SlidingWindow.prefix("default/app", "10.0.0.2")));
  }
}
