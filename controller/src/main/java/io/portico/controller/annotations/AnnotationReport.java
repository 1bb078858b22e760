package io.portico.controller.annotations;

/**
 * Where a family reports what it made of the annotations. Every report names the annotation as
 * written on the Ingress ({@link AnnotationValues#keyOf}).
 */
public interface AnnotationReport {

  /**
   * A value the family cannot use; the default (or nothing) applies instead. Reported as {@code
   * InvalidAnnotation: KEY: VALUE (expected: EXPECTED); INSTEAD}.
   *
   * @param name the annotation, without its prefix
   * @param value the value as the message should show it
   * @param expected what a valid value looks like
   * @param instead what applies instead, e.g. {@code using round_robin}
   */
  void invalid(String name, String value, String expected, String instead);

  /**
   * Refuses the Ingress because of this annotation: the family guards access and cannot read it, so
   * serving the Ingress would fail open.
   *
   * @param why what is wrong, e.g. {@code Secret default/basic-auth: not found}
   */
  void refuse(String name, String why);

  /**
   * This honoured annotation has no effect on this Ingress, e.g. a {@code session-cookie-*} without
   * {@code affinity: cookie}.
   */
  void unused(String name, String why);
}
