package io.portico.controller.annotations;

import java.util.List;

/** The families Portico reads annotations with. */
public final class AnnotationFamilies {

  private AnnotationFamilies() {}

  /** Every family, in the order they read; one per line, sorted by class name. */
  public static List<AnnotationFamily> standard() {
    return List.of(
        new AffinityFamily(), //
        new CorsFamily(),
        new HttpsFamily(),
        new SourceRangeFamily());
  }
}
