package io.portico.controller.translate;

/**
 * One concern of translation. A {@link Translator} runs its steps in a fixed order (see {@link
 * TranslationSteps#standard()}), all with the same {@link TranslationRun}: a step reads the
 * snapshot and what earlier steps found, brings its own part of the translator's incremental state
 * up to date, and adds its findings and its part of the result to the run.
 *
 * <p>A step keeps nothing in fields of its own: what it remembers between translations lives in the
 * {@link TranslationState} the translator owns, so that one failure can discard all of it. A step
 * may throw; the translator then discards every step's state, the next translation starts from
 * scratch, and the last good configuration keeps serving.
 *
 * <p>A new concern (an annotation family, defaults from a ConfigMap, another API) is a new step in
 * the list, not a branch in an existing one.
 */
public interface TranslationStep {

  /** A short name for logs and failures, e.g. {@code ingress-rules}. */
  String name();

  /** Does this step's part of one translation. */
  void apply(TranslationRun run);
}
