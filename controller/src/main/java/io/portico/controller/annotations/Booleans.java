package io.portico.controller.annotations;

import java.util.Optional;

/**
 * Boolean annotation values as ingress-nginx reads them (Go's {@code strconv.ParseBool}): {@code 1
 * t T TRUE true True} and {@code 0 f F FALSE false False}, and {@code true} or {@code false} in any
 * case, as Portico always accepted. An Ingress that said {@code "1"} to ingress-nginx means the
 * same to Portico.
 */
public final class Booleans {

  /** What a message says a valid value looks like. */
  public static final String EXPECTED = "\"true\" or \"false\"";

  private Booleans() {}

  /** The value, or empty when it is not a boolean. */
  public static Optional<Boolean> parse(String value) {
    return switch (value) {
      case "1", "t", "T" -> Optional.of(true);
      case "0", "f", "F" -> Optional.of(false);
      default -> {
        if (value.equalsIgnoreCase("true")) {
          yield Optional.of(true);
        }
        yield value.equalsIgnoreCase("false") ? Optional.of(false) : Optional.empty();
      }
    };
  }
}
