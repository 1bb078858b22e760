package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

/**
 * A label pair of the {@code portico_ingress_annotations} metric: how many owned Ingresses carry an
 * annotation with this fate. Values come only from the annotation catalogue, so the number of
 * series is bounded whatever the Ingresses say.
 *
 * @param state {@code honoured}, {@code ignored} or {@code refused}
 * @param annotation the catalogue name without prefix, or {@code unknown}
 */
public record AnnotationUse(String state, String annotation) implements Comparable<AnnotationUse> {

  public AnnotationUse {
    requireNonNull(state, "state");
    requireNonNull(annotation, "annotation");
  }

  @Override
  public int compareTo(AnnotationUse other) {
    int byAnnotation = annotation.compareTo(other.annotation);
    return byAnnotation != 0 ? byAnnotation : state.compareTo(other.state);
  }
}
