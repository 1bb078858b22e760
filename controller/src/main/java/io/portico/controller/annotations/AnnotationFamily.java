package io.portico.controller.annotations;

import java.util.Set;

/**
 * One small unit that reads the annotations of one feature (affinity and load balancing, HTTPS
 * redirects, rewrites, ...) into its part of an {@link IngressPolicy}. A family sees only the
 * values, the {@link IngressContext} and the defaults; it knows neither fabric8 nor the translator,
 * and is tested by itself with small maps of annotations.
 *
 * <p>A family reads every name it declares through {@link AnnotationValues#get}, or reports it
 * {@linkplain AnnotationReport#unused unused}; the {@link AnnotationCatalogue} lists each of its
 * names as honoured by it. A value it cannot use is {@linkplain AnnotationReport#invalid reported}
 * and the default applies, unless the family guards access: then it {@linkplain
 * AnnotationReport#refuse refuses} the Ingress (or makes its routes answer 503), never serving it
 * open.
 */
public interface AnnotationFamily {

  /** A short name for reports and the catalogue, e.g. {@code affinity}. */
  String name();

  /** The annotation names it reads, without prefix. */
  Set<String> annotations();

  /** Reads this family's annotations of one Ingress into {@code policy}. */
  void read(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report);
}
