package io.portico.controller.sync;

import io.portico.controller.translate.Translation;
import java.util.List;

/**
 * The listeners of the sync loop, called in a fixed order with each translation: the publisher
 * first (the swap), then whoever reports on what now serves (metrics, status and events). A
 * listener that throws stops the ones after it for that translation; the sync loop logs the
 * failure.
 */
public final class TranslationListeners implements TranslationListener {

  private final List<TranslationListener> listeners;

  private TranslationListeners(List<TranslationListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** The listeners, called in this order. */
  public static TranslationListeners of(List<TranslationListener> listeners) {
    return new TranslationListeners(listeners);
  }

  @Override
  public void translated(Translation translation, long translationNanos) {
    for (TranslationListener listener : listeners) {
      listener.translated(translation, translationNanos);
    }
  }
}
