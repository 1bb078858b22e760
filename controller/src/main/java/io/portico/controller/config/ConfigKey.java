package io.portico.controller.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One key of the controller ConfigMap, declared once in {@link ConfigKeys}: its name, the type of
 * its value, how its text is read, and its built-in default.
 *
 * <p>Values are read the way ingress-nginx reads them (booleans as Go's {@code strconv.ParseBool},
 * integers as plain decimals, lists comma-separated), trimmed first. A text that does not read
 * gives no value: the caller reports it, naming the key and {@link #expected()}, and the default
 * applies, or the stricter {@link #invalidValue()} a key declares. Keys are compared by identity:
 * each exists once.
 *
 * @param <T> the type of the value
 */
public final class ConfigKey<T> implements Comparable<ConfigKey<?>> {

  /** When a change of the key's value takes effect. */
  public enum Applies {
    /** With the next translation: the key shapes routes, which are swapped as a whole. */
    LIVE,
    /**
     * When Portico next starts: the key configures the listeners. A change while running is
     * reported, and the value read at start stays in force.
     */
    AT_START
  }

  /** Whether Portico acts on the key yet. */
  public enum Support {
    /** Read, checked and acted on. */
    HONOURED,
    /**
     * Read and checked (a bad value is reported), kept in {@link ControllerConfig}, but without
     * effect yet: the issue that brings the feature gives it one.
     */
    DECLARED,
    /**
     * Read and checked, but what it asks of ingress-nginx is not Portico's to do: a value that asks
     * for it is reported on the ConfigMap, and something else decides (a flag of Portico's).
     */
    REPORTED
  }

  private static final Pattern SIZE = Pattern.compile("(?i)(\\d{1,12})([bkmg]?)");

  private final String name;
  private final T defaultValue;
  private final String defaultText;
  private final Function<String, Optional<T>> reader;
  private final String expected;
  private final Applies applies;
  private final Support support;
  // What a text that does not read gives: the default, unless a stricter reading is declared.
  private final T invalidValue;
  private final String invalidText;

  private ConfigKey(
      String name,
      T defaultValue,
      String defaultText,
      Function<String, Optional<T>> reader,
      String expected,
      Applies applies,
      Support support) {
    this(
        name,
        defaultValue,
        defaultText,
        reader,
        expected,
        applies,
        support,
        defaultValue,
        defaultText);
  }

  private ConfigKey(
      String name,
      T defaultValue,
      String defaultText,
      Function<String, Optional<T>> reader,
      String expected,
      Applies applies,
      Support support,
      T invalidValue,
      String invalidText) {
    this.name = requireNonNull(name, "name");
    this.defaultValue = requireNonNull(defaultValue, "defaultValue");
    this.defaultText = requireNonNull(defaultText, "defaultText");
    this.reader = requireNonNull(reader, "reader");
    this.expected = requireNonNull(expected, "expected");
    this.applies = requireNonNull(applies, "applies");
    this.support = requireNonNull(support, "support");
    this.invalidValue = requireNonNull(invalidValue, "invalidValue");
    this.invalidText = requireNonNull(invalidText, "invalidText");
    if (reader.apply(defaultText).filter(defaultValue::equals).isEmpty()) {
      throw new IllegalArgumentException(
          name
              + ": default \""
              + defaultText
              + "\" (expected: text that reads as "
              + defaultValue
              + ")");
    }
  }

  /** The name in the ConfigMap's {@code data}, e.g. {@code hsts-max-age}. */
  public String name() {
    return name;
  }

  /**
   * The value when the ConfigMap does not set the key, or sets it to a value that does not read.
   */
  public T defaultValue() {
    return defaultValue;
  }

  /** The default as it would be written in the ConfigMap, e.g. {@code 31536000}. */
  public String defaultText() {
    return defaultText;
  }

  /** What a value must look like, for messages: e.g. {@code true or false}. */
  public String expected() {
    return expected;
  }

  public Applies applies() {
    return applies;
  }

  public Support support() {
    return support;
  }

  /**
   * The value a text that does not read gives: the {@linkplain #defaultValue() default}, unless the
   * key reads such a text more strictly, as ingress-nginx does ({@code annotations-risk-level}: a
   * level it does not know is {@code Low}).
   */
  public T invalidValue() {
    return invalidValue;
  }

  /** {@link #invalidValue()} as it would be written in the ConfigMap. */
  public String invalidText() {
    return invalidText;
  }

  /**
   * This key, reading a text that does not read as {@code value} (written {@code text}) instead of
   * the default: for a key whose default is not the safe reading of a mistyped value.
   */
  ConfigKey<T> whenInvalid(T value, String text) {
    if (reader.apply(text).filter(value::equals).isEmpty()) {
      throw new IllegalArgumentException(
          name + ": \"" + text + "\" (expected: text that reads as " + value + ")");
    }
    return new ConfigKey<>(
        name, defaultValue, defaultText, reader, expected, applies, support, value, text);
  }

  /**
   * Reads a value written for this key, trimmed first; empty when it does not read. An annotation
   * with the same syntax is read with this too, so both read alike.
   */
  public Optional<T> parse(String text) {
    requireNonNull(text, "text");
    return reader.apply(text.strip());
  }

  /**
   * The message for a text that does not read, in the project's form: {@code name: "value"
   * (expected: ...)}.
   */
  public String invalid(String text) {
    return name + ": \"" + text + "\" (expected: " + expected + ")";
  }

  @Override
  public int compareTo(ConfigKey<?> other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }

  // One factory per syntax; the last two arguments say when a change applies and whether Portico
  // acts on the key yet.

  /**
   * A boolean, read as Go's {@code strconv.ParseBool} reads it (ingress-nginx's parser): {@code 1 t
   * T TRUE true True} and {@code 0 f F FALSE false False}.
   */
  static ConfigKey<Boolean> flag(
      String name, boolean defaultValue, Applies applies, Support support) {
    return new ConfigKey<>(
        name,
        defaultValue,
        Boolean.toString(defaultValue),
        ConfigKey::readFlag,
        "true or false",
        applies,
        support);
  }

  /** A decimal integer from {@code min} to {@code max}. */
  static ConfigKey<Integer> integer(
      String name, int defaultValue, int min, int max, Applies applies, Support support) {
    return new ConfigKey<>(
        name,
        defaultValue,
        Integer.toString(defaultValue),
        text -> readInt(text).filter(v -> v >= min && v <= max),
        "an integer from " + min + " to " + max,
        applies,
        support);
  }

  /** A decimal integer, one of {@code allowed}. */
  static ConfigKey<Integer> oneOf(
      String name, int defaultValue, Set<Integer> allowed, Applies applies, Support support) {
    List<Integer> sorted = allowed.stream().sorted().toList();
    return new ConfigKey<>(
        name,
        defaultValue,
        Integer.toString(defaultValue),
        text -> readInt(text).filter(allowed::contains),
        "one of " + sorted.toString().replace("[", "").replace("]", ""),
        applies,
        support);
  }

  /** A whole number of seconds, 0 or more, as ingress-nginx's timeout keys take it. */
  static ConfigKey<Duration> seconds(
      String name, int defaultSeconds, Applies applies, Support support) {
    return new ConfigKey<>(
        name,
        Duration.ofSeconds(defaultSeconds),
        Integer.toString(defaultSeconds),
        text -> readInt(text).filter(v -> v >= 0).map(Duration::ofSeconds),
        "a whole number of seconds, 0 or more",
        applies,
        support);
  }

  /**
   * A positive duration as Go's {@code time.ParseDuration} writes one (ingress-nginx's parser for
   * such keys): numbers with units {@code ms}, {@code s}, {@code m} or {@code h}, e.g. {@code 5s},
   * {@code 500ms}, {@code 1m30s}.
   */
  static ConfigKey<Duration> goDuration(
      String name, String defaultText, Applies applies, Support support) {
    return new ConfigKey<>(
        name,
        readGoDuration(defaultText).orElseThrow(),
        defaultText,
        ConfigKey::readGoDuration,
        "a duration such as 5s or 500ms",
        applies,
        support);
  }

  /**
   * A size in bytes, written as nginx writes sizes: digits and an optional unit {@code k}, {@code
   * m} or {@code g} (any case), e.g. {@code 1m}.
   */
  static ConfigKey<Long> size(String name, String defaultText, Applies applies, Support support) {
    return new ConfigKey<>(
        name,
        readSize(defaultText).orElseThrow(),
        defaultText,
        ConfigKey::readSize,
        "a size such as 8k, 1m or 0",
        applies,
        support);
  }

  /** Free text matching {@code allowed}, e.g. a header name. */
  static ConfigKey<String> text(
      String name,
      String defaultValue,
      Pattern allowed,
      String expected,
      Applies applies,
      Support support) {
    return new ConfigKey<>(
        name,
        defaultValue,
        defaultValue,
        text -> allowed.matcher(text).matches() ? Optional.of(text) : Optional.empty(),
        expected,
        applies,
        support);
  }

  /**
   * A key of its own syntax.
   *
   * @param reader reads a trimmed text; empty when it does not read
   */
  static <T> ConfigKey<T> of(
      String name,
      T defaultValue,
      String defaultText,
      Function<String, Optional<T>> reader,
      String expected,
      Applies applies,
      Support support) {
    return new ConfigKey<>(name, defaultValue, defaultText, reader, expected, applies, support);
  }

  /** One of the names of an enum, in any case. */
  static <E extends Enum<E>> ConfigKey<E> choice(
      String name, E defaultValue, Function<E, String> spelling, Applies applies, Support support) {
    Class<E> type = defaultValue.getDeclaringClass();
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(spelling.apply(constant));
    }
    return new ConfigKey<>(
        name,
        defaultValue,
        spelling.apply(defaultValue),
        text -> {
          for (E constant : type.getEnumConstants()) {
            if (spelling.apply(constant).equalsIgnoreCase(text)) {
              return Optional.of(constant);
            }
          }
          return Optional.empty();
        },
        "one of " + String.join(", ", names),
        applies,
        support);
  }

  /**
   * A comma-separated list; entries are trimmed and empty ones dropped. Every entry must match
   * {@code entry}, or the whole value does not read.
   */
  static ConfigKey<List<String>> list(
      String name,
      List<String> defaultValue,
      Pattern entry,
      String expected,
      Applies applies,
      Support support) {
    return new ConfigKey<>(
        name,
        List.copyOf(defaultValue),
        String.join(",", defaultValue),
        text -> readList(text, value -> entry.matcher(value).matches() ? value : null),
        expected,
        applies,
        support);
  }

  /** A comma-separated list of HTTP status codes from {@code min} to {@code max}. */
  static ConfigKey<List<Integer>> statusList(
      String name, int min, int max, Applies applies, Support support) {
    return new ConfigKey<>(
        name,
        List.of(),
        "",
        text ->
            readList(text, value -> readInt(value).filter(v -> v >= min && v <= max).orElse(null)),
        "comma-separated status codes from " + min + " to " + max,
        applies,
        support);
  }

  private static Optional<Boolean> readFlag(String text) {
    return switch (text) {
      case "1", "t", "T", "TRUE", "true", "True" -> Optional.of(true);
      case "0", "f", "F", "FALSE", "false", "False" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  private static Optional<Integer> readInt(String text) {
    // Plain decimals only: no sign, no spaces, no units; at most 9 digits, so it fits an int.
    if (text.isEmpty() || text.length() > 9) {
      return Optional.empty();
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
    }
    return Optional.of(Integer.parseInt(text));
  }

  /** A positive duration in Go's syntax ({@link GoDuration}); empty when it does not read. */
  static Optional<Duration> readGoDuration(String text) {
    return GoDuration.parse(text).filter(duration -> !duration.isZero());
  }

  /** A size as nginx writes one ({@code 8k}), in bytes; empty when it does not read. */
  static Optional<Long> readSize(String text) {
    var matcher = SIZE.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    long number = Long.parseLong(matcher.group(1));
    long unit =
        switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
          case "k" -> 1L << 10;
          case "m" -> 1L << 20;
          case "g" -> 1L << 30;
          default -> 1L;
        };
    return Optional.of(number * unit);
  }

  /** The entries read by {@code entry}, which gives null for one that does not read. */
  private static <E> Optional<List<E>> readList(String text, Function<String, @Nullable E> entry) {
    List<E> values = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String trimmed = part.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      E value = entry.apply(trimmed);
      if (value == null) {
        return Optional.empty();
      }
      values.add(value);
    }
    return Optional.of(List.copyOf(values));
  }
}
