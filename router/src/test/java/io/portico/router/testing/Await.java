package io.portico.router.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition by checking it every 20 ms, failing with a message after a timeout. */
public final class Await {

  private Await() {}

  public static void until(String what, Duration timeout, Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("timed out after " + timeout + " waiting for: " + what, last);
  }
}
