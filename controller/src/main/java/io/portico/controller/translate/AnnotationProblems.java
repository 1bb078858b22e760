package io.portico.controller.translate;

/**
 * Where the readers of annotations report what they cannot use, in the shape of the annotation
 * families' reports. Every report names the annotation without its prefix; the sink adds the key as
 * written on the Ingress.
 */
interface AnnotationProblems {

  /** A value it cannot use; {@code instead} says what applies. */
  void invalid(String name, String value, String expected, String instead);

  /** An annotation that has no effect on this Ingress, and why. */
  void unused(String name, String why);

  /** An annotation that stops the Ingress from being served, and why. */
  void refuse(String name, String why);
}
