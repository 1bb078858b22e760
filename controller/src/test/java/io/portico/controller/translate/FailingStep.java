package io.portico.controller.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A translation step that does nothing, or throws when armed (once), and records whether each run
 * it saw started from scratch. Tests put it among the standard steps.
 */
public final class FailingStep implements TranslationStep {

  private final AtomicInteger failures = new AtomicInteger();
  private final List<Boolean> fromScratch = new ArrayList<>();
  private volatile boolean armed;

  /** The standard steps with a new failing step right after the step named {@code after}. */
  public static List<TranslationStep> after(String after, FailingStep failing) {
    List<TranslationStep> steps = new ArrayList<>(TranslationSteps.standard());
    int at = 0;
    while (!steps.get(at).name().equals(after)) {
      at++;
    }
    steps.add(at + 1, failing);
    return steps;
  }

  /** The next run of this step throws. */
  public void armOnce() {
    armed = true;
  }

  /** How many times this step has thrown. */
  public int failures() {
    return failures.get();
  }

  /** For each run that reached this step, whether it started from scratch. */
  public synchronized List<Boolean> fromScratch() {
    return List.copyOf(fromScratch);
  }

  @Override
  public String name() {
    return "failing-once";
  }

  @Override
  public synchronized void apply(TranslationRun run) {
    fromScratch.add(run.fromScratch());
    if (armed) {
      armed = false;
      failures.incrementAndGet();
      throw new IllegalStateException("a step that fails once, on purpose");
    }
  }
}
