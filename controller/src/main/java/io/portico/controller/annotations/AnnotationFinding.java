package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

/**
 * Something reading an Ingress's annotations found, for the translator to report about that
 * Ingress.
 *
 * @param warning whether it changes what serves (a warning) or is a plain fact (a notice)
 * @param reason a short CamelCase reason, stable for alerts (e.g. {@code InvalidAnnotation})
 * @param message one sentence naming the annotation as written
 */
public record AnnotationFinding(boolean warning, String reason, String message) {

  public AnnotationFinding {
    requireNonNull(reason, "reason");
    requireNonNull(message, "message");
  }

  static AnnotationFinding warning(String reason, String message) {
    return new AnnotationFinding(true, reason, message);
  }

  static AnnotationFinding notice(String reason, String message) {
    return new AnnotationFinding(false, reason, message);
  }
}
