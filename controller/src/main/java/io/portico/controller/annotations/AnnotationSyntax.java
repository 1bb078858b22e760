package io.portico.controller.annotations;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The value syntax ingress-nginx reads annotations with (Go's {@code strconv}), so that a value it
 * accepts means the same here.
 */
final class AnnotationSyntax {

  private static final Set<String> TRUE = Set.of("1", "t", "T", "true", "TRUE", "True");
  private static final Set<String> FALSE = Set.of("0", "f", "F", "false", "FALSE", "False");

  /** What a boolean annotation accepts, for messages. */
  static final String BOOLEAN = "true or false";

  private AnnotationSyntax() {}

  /** A boolean as Go's {@code ParseBool} reads it; empty when it does not read. */
  static Optional<Boolean> bool(String text) {
    if (TRUE.contains(text)) {
      return Optional.of(true);
    }
    return FALSE.contains(text) ? Optional.of(false) : Optional.empty();
  }

  /** A signed decimal integer as Go's {@code Atoi} reads it; empty when it does not read. */
  static OptionalInt integer(String text) {
    if (text.isEmpty() || text.length() > 10) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * A boolean annotation: its value, or {@code defaultValue} when unset or (reported) when it does
   * not read.
   */
  static boolean flag(
      AnnotationValues values, String name, boolean defaultValue, AnnotationReport report) {
    Optional<String> value = values.get(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    Optional<Boolean> parsed = bool(value.get());
    if (parsed.isEmpty()) {
      report.invalid(name, "\"" + value.get() + "\"", BOOLEAN, defaultValue + " applies");
      return defaultValue;
    }
    return parsed.get();
  }
}
