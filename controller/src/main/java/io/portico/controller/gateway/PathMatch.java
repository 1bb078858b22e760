package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

/**
 * An HTTPRoute path condition.
 *
 * @param type {@code Exact}, {@code PathPrefix} (whole segments, a trailing {@code /} ignored) or
 *     {@code RegularExpression} (RE2, the whole path)
 * @param value the path or pattern
 */
public record PathMatch(Type type, String value) {

  /** The path match types of the specification. */
  public enum Type {
    EXACT("Exact"),
    PATH_PREFIX("PathPrefix"),
    REGULAR_EXPRESSION("RegularExpression");

    private final String text;

    Type(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** {@code PathPrefix /}: every path. */
  public static final PathMatch DEFAULT = new PathMatch(Type.PATH_PREFIX, "/");

  public PathMatch {
    requireNonNull(type, "type");
    requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return type + " " + value;
  }
}
