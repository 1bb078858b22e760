package io.portico.controller.cli;

import io.portico.controller.config.GoDuration;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way Kubernetes users write them: {@code 500ms}, {@code 5s}, {@code 1m30s},
 * {@code 2h}; ISO-8601 ({@code PT5S}) is accepted too.
 */
final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String text) {
    return parse(text);
  }

  static Duration parse(String text) {
    if (text.startsWith("P") || text.startsWith("p")) {
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    }
    return GoDuration.parse(text).orElseThrow(() -> invalid(text));
  }

  private static TypeConversionException invalid(String text) {
    return new TypeConversionException(
        "'" + text + "' is not a duration (expected: e.g. 500ms, 5s, 1m30s, 2h)");
  }
}
