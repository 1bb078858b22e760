package io.portico.controller.cli;

import java.util.Locale;
import java.util.Set;

/** Sets the log level before the first logger is created. */
final class Logging {

  private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");

  private Logging() {}

  static void configure(String level) {
    String normalized = level.toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(normalized)) {
      throw new picocli.CommandLine.TypeConversionException(
          "--log-level: " + level + " (expected: one of " + LEVELS + ")");
    }
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", normalized);
  }
}
