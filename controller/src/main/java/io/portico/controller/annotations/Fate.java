package io.portico.controller.annotations;

/** What Portico does with an annotation, as the {@link AnnotationCatalogue} says. */
public enum Fate {
  /** Read by a family, with ingress-nginx's meaning, under both prefixes. */
  HONOURED,
  /** Not read; harmless to route without it, or not supported yet, and the reason says which. */
  IGNORED,
  /** Not honoured and not safe to ignore: an Ingress carrying it is not served. */
  REFUSED;

  /** The fate in lower case, as docs, JSON and metric labels show it. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
