package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long external auth answers are remembered, by status ({@code auth-cache-duration}), read as
 * nginx's {@code proxy_cache_valid}: comma-separated entries of status codes then one duration,
 * {@code "200 202 401 5m"}; an entry without codes covers 200, 301 and 302. A status named twice
 * takes its last duration. Statuses not named are not remembered.
 *
 * @param byStatus the duration of each remembered status
 */
public record AuthCacheDurations(Map<Integer, Duration> byStatus) {

  /** ingress-nginx's default. */
  public static final String DEFAULT = "200 202 401 5m";

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w|M|y)");
  private static final Pattern STATUS = Pattern.compile("[1-5]\\d\\d");

  public AuthCacheDurations {
    byStatus = Map.copyOf(new TreeMap<>(requireNonNull(byStatus, "byStatus")));
  }

  /** {@code text} read, or empty when it is not a list of such entries. */
  public static Optional<AuthCacheDurations> parse(String text) {
    Map<Integer, Duration> byStatus = new TreeMap<>();
    boolean any = false;
    for (String entry : text.split(",", -1)) {
      String[] words = entry.strip().split("\\s+");
      if (words.length == 1 && words[0].isEmpty()) {
        continue;
      }
      Matcher duration = DURATION.matcher(words[words.length - 1]);
      if (!duration.matches()) {
        return Optional.empty();
      }
      Duration length = duration(Long.parseLong(duration.group(1)), duration.group(2));
      if (words.length == 1) {
        for (int status : new int[] {200, 301, 302}) {
          byStatus.put(status, length);
        }
      }
      for (int i = 0; i < words.length - 1; i++) {
        if (!STATUS.matcher(words[i]).matches()) {
          return Optional.empty();
        }
        byStatus.put(Integer.parseInt(words[i]), length);
      }
      any = true;
    }
    return any ? Optional.of(new AuthCacheDurations(byStatus)) : Optional.empty();
  }

  /** How long an answer of {@code status} is remembered; zero when it is not. */
  public Duration of(int status) {
    return byStatus.getOrDefault(status, Duration.ZERO);
  }

  private static Duration duration(long amount, String unit) {
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      case "w" -> Duration.ofDays(amount * 7);
      case "M" -> Duration.ofDays(amount * 30);
      default -> Duration.ofDays(amount * 365);
    };
  }
}
