package io.portico.controller.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kubernetes users write them, in Go's {@code time.ParseDuration} syntax with whole
 * numbers: {@code 500ms}, {@code 5s}, {@code 1m30s}, {@code 2h}. The command line and the
 * controller ConfigMap read them here, each with its own bounds. (Gateway API fields have a
 * stricter format of their own, read in the gateway package, which knows nothing of this one.)
 */
public final class GoDuration {

  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private GoDuration() {}

  /**
   * The sum of the parts of {@code text}; empty when it is not one or more parts and nothing else.
   */
  public static Optional<Duration> parse(String text) {
    Matcher part = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (end < text.length() && part.find(end) && part.start() == end) {
      long amount = Long.parseLong(part.group(1));
      total =
          total.plus(
              switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
              });
      end = part.end();
    }
    return end > 0 && end == text.length() ? Optional.of(total) : Optional.empty();
  }
}
