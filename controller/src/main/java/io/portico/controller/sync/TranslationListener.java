package io.portico.controller.sync;

import io.portico.controller.translate.Translation;

/** Receives each translation on the sync thread, after the translator made it. */
@FunctionalInterface
public interface TranslationListener {

  /**
   * @param translationNanos how long the translation took
   */
  void translated(Translation translation, long translationNanos);
}
