package io.portico.controller.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Collects what validation finds in one object, each problem naming its field, in the form {@code
 * field: value (expected: ...)}.
 */
final class FieldErrors {

  private final List<String> problems = new ArrayList<>();

  void add(String field, String problem) {
    problems.add(field + ": " + problem);
  }

  void invalid(String field, Object value, String expected) {
    add(field, show(value) + " (expected: " + expected + ")");
  }

  void required(String field) {
    add(field, "missing (expected: a value)");
  }

  /** Takes over the problems another collector found. */
  void problemsFrom(FieldErrors other) {
    problems.addAll(other.problems);
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  /** Checks a required string against a pattern and length bounds; false when it failed. */
  boolean text(
      String field,
      @Nullable String value,
      @Nullable Pattern pattern,
      int min,
      int max,
      String expected) {
    if (value == null) {
      required(field);
      return false;
    }
    return optionalText(field, value, pattern, min, max, expected);
  }

  /** As {@link #text}, for a field that may be absent ({@code null} passes). */
  boolean optionalText(
      String field,
      @Nullable String value,
      @Nullable Pattern pattern,
      int min,
      int max,
      String expected) {
    if (value == null) {
      return true;
    }
    if (value.length() < min || value.length() > max) {
      invalid(field, value, expected + ", " + min + " to " + max + " characters");
      return false;
    }
    if (pattern != null && !pattern.matcher(value).matches()) {
      invalid(field, value, expected);
      return false;
    }
    return true;
  }

  /** Checks an optional number's bounds; {@code null} passes. */
  boolean range(String field, @Nullable Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      invalid(field, value, min + " to " + max);
      return false;
    }
    return true;
  }

  /** Checks a list's size. */
  boolean size(String field, List<?> list, int min, int max) {
    int size = list.size();
    if (size < min || size > max) {
      invalid(field, size + " entries", min + " to " + max + " entries");
      return false;
    }
    return true;
  }

  private static String show(Object value) {
    if (value instanceof String text) {
      return text.isEmpty() ? "\"\"" : text;
    }
    return String.valueOf(value);
  }
}
