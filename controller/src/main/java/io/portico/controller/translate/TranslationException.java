package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

/** A translation step that threw; the cause is what it threw. */
public final class TranslationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String step;

  TranslationException(String step, RuntimeException cause) {
    super("translation step " + step + " failed: " + cause, cause);
    this.step = requireNonNull(step, "step");
  }

  /** The name of the step that threw. */
  public String step() {
    return step;
  }
}
