package io.portico.controller.translate;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.portico.router.policy.CanaryMatch;
import io.portico.router.policy.HeaderMatch;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the canary annotations of one Ingress, with ingress-nginx's names, defaults and semantics
 * (its Lua balancer's, where they differ from its docs):
 *
 * <ul>
 *   <li>{@code canary: "true"} makes the Ingress a canary: its rules join the rules of the main
 *       Ingress with the same host, path and path type, and are never served on their own;
 *   <li>{@code canary-by-header}, with {@code canary-by-header-value} (exact) or, without a value,
 *       {@code canary-by-header-pattern} (RE2, unanchored); with neither, {@code always} and {@code
 *       never};
 *   <li>{@code canary-by-cookie}: {@code always} and {@code never};
 *   <li>{@code canary-weight} of {@code canary-weight-total} (default 100; a total below 100 is
 *       ignored, as ingress-nginx's balancer ignores it);
 *   <li>{@code affinity-canary-behavior}: {@code sticky} (default), the canary shares the main
 *       backend's session affinity, or {@code legacy}, it keeps its own.
 * </ul>
 *
 * <p>One difference, on purpose: a {@code canary} value that is neither true nor false refuses the
 * Ingress, where ingress-nginx would serve it as a normal Ingress and send it all the traffic of
 * its rules.
 *
 * <p>It reads values through a function (a value by name), so that it does not depend on where the
 * annotations come from.
 */
final class CanaryAnnotations {

  /** The canary annotations, without prefix. */
  static final Set<String> NAMES =
      Set.of(
          "affinity-canary-behavior",
          "canary",
          "canary-by-cookie",
          "canary-by-header",
          "canary-by-header-pattern",
          "canary-by-header-value",
          "canary-weight",
          "canary-weight-total");

  /**
   * The other annotations a canary Ingress may set: the balancing and session affinity of its own
   * backend, as ingress-nginx reads them on a canary. Every other annotation of a canary is
   * ignored.
   */
  static final Set<String> ALSO_ON_A_CANARY =
      Set.of(
          "affinity",
          "affinity-mode",
          "load-balance",
          "session-cookie-change-on-failure",
          "session-cookie-conditional-samesite-none",
          "session-cookie-domain",
          "session-cookie-expires",
          "session-cookie-max-age",
          "session-cookie-name",
          "session-cookie-path",
          "session-cookie-samesite",
          "session-cookie-secure");

  /** The total ingress-nginx counts weights over, and the least it accepts. */
  static final int DEFAULT_WEIGHT_TOTAL = 100;

  /** What the annotations make of an Ingress. */
  sealed interface Reading {}

  /** A normal Ingress. */
  record NotCanary() implements Reading {}

  /** A canary Ingress, and what its rules ask for. */
  record Canary(CanarySpec spec) implements Reading {}

  /** An Ingress that must not be served: it might be a canary, and its value does not say. */
  record Refused() implements Reading {}

  private final Function<String, Optional<String>> values;
  private final AnnotationProblems report;

  private CanaryAnnotations(Function<String, Optional<String>> values, AnnotationProblems report) {
    this.values = values;
    this.report = report;
  }

  /**
   * Reads one Ingress's canary annotations.
   *
   * @param values the value of an annotation by name, trimmed; empty when unset
   */
  static Reading read(Function<String, Optional<String>> values, AnnotationProblems report) {
    return new CanaryAnnotations(values, report).read();
  }

  private Reading read() {
    Optional<String> canary = values.apply("canary");
    Boolean isCanary = canary.isEmpty() ? Boolean.FALSE : parseBool(canary.get());
    if (isCanary == null) {
      report.refuse(
          "canary",
          canary.get()
              + " (expected: true or false); served as a normal Ingress, a canary would take all"
              + " the traffic of its rules, so the Ingress is not served");
      return new Refused();
    }
    if (!isCanary) {
      for (String name : NAMES) {
        if (!name.equals("canary") && values.apply(name).isPresent()) {
          report.unused(name, "the Ingress is not a canary (canary: \"true\" is not set)");
        }
      }
      return new NotCanary();
    }
    Optional<HeaderMatch> header = header();
    Optional<String> cookie = cookie();
    int total = weightTotal();
    int weight = weight();
    if (weight > total) {
      report.invalid(
          "canary-weight",
          String.valueOf(weight),
          "at most the weight total, " + total,
          "using " + total);
      weight = total;
    }
    return new Canary(new CanarySpec(new CanaryMatch(header, cookie, weight), total, sticky()));
  }

  private Optional<HeaderMatch> header() {
    Optional<String> name = values.apply("canary-by-header");
    Optional<String> value = values.apply("canary-by-header-value").filter(v -> !v.isEmpty());
    Optional<String> pattern = values.apply("canary-by-header-pattern").filter(p -> !p.isEmpty());
    if (name.isEmpty() || name.get().isEmpty()) {
      value.ifPresent(v -> report.unused("canary-by-header-value", "canary-by-header is not set"));
      pattern.ifPresent(
          p -> report.unused("canary-by-header-pattern", "canary-by-header is not set"));
      return Optional.empty();
    }
    if (!isToken(name.get())) {
      report.invalid("canary-by-header", name.get(), "a header name", "no canary rule by header");
      return Optional.empty();
    }
    if (value.isPresent()) {
      if (hasControl(value.get())) {
        report.invalid(
            "canary-by-header-value",
            "a value with control characters",
            "a header value",
            "no canary rule by header");
        return Optional.empty();
      }
      pattern.ifPresent(
          p -> report.unused("canary-by-header-pattern", "canary-by-header-value wins"));
      return Optional.of(new HeaderMatch.Value(name.get(), value.get()));
    }
    if (pattern.isPresent()) {
      try {
        return Optional.of(new HeaderMatch.Regex(name.get(), Pattern.compile(pattern.get())));
      } catch (PatternSyntaxException e) {
        report.invalid(
            "canary-by-header-pattern",
            pattern.get(),
            "an RE2 regular expression: " + e.getDescription(),
            "requests that carry " + name.get() + " go to the main backend");
        return Optional.of(new HeaderMatch.Unusable(name.get()));
      }
    }
    return Optional.of(new HeaderMatch.AlwaysOrNever(name.get()));
  }

  private Optional<String> cookie() {
    Optional<String> name = values.apply("canary-by-cookie").filter(c -> !c.isEmpty());
    if (name.isPresent() && !isToken(name.get())) {
      report.invalid("canary-by-cookie", name.get(), "a cookie name", "no canary rule by cookie");
      return Optional.empty();
    }
    return name;
  }

  private int weight() {
    return integer("canary-weight", 0).orElse(0);
  }

  private int weightTotal() {
    Optional<Integer> total = integer("canary-weight-total", DEFAULT_WEIGHT_TOTAL);
    if (total.isPresent() && total.get() < DEFAULT_WEIGHT_TOTAL) {
      report.unused(
          "canary-weight-total",
          "a total below "
              + DEFAULT_WEIGHT_TOTAL
              + " is ignored, as ingress-nginx ignores it; weights count over "
              + DEFAULT_WEIGHT_TOTAL);
      return DEFAULT_WEIGHT_TOTAL;
    }
    return total.orElse(DEFAULT_WEIGHT_TOTAL);
  }

  /** A number of 0 or more, empty when unset or invalid (reported, with the default). */
  private Optional<Integer> integer(String name, int defaultValue) {
    Optional<String> value = values.apply(name).filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      int parsed = Integer.parseInt(value.get());
      if (parsed >= 0) {
        return Optional.of(parsed);
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    report.invalid(name, value.get(), "a whole number, 0 or more", "using " + defaultValue);
    return Optional.empty();
  }

  private boolean sticky() {
    Optional<String> behavior = values.apply("affinity-canary-behavior");
    if (behavior.isEmpty() || behavior.get().isEmpty()) {
      return true;
    }
    switch (behavior.get().toLowerCase(Locale.ROOT)) {
      case "sticky" -> {
        return true;
      }
      case "legacy" -> {
        return false;
      }
      default -> {
        report.invalid(
            "affinity-canary-behavior", behavior.get(), "sticky or legacy", "using sticky");
        return true;
      }
    }
  }

  /** Go's {@code strconv.ParseBool}, which ingress-nginx reads booleans with; null when invalid. */
  static Boolean parseBool(String value) {
    return switch (value) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> null;
    };
  }

  private static boolean isToken(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return !name.isEmpty();
  }

  private static boolean hasControl(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < ' ' && c != '\t' || c == 0x7f) {
        return true;
      }
    }
    return false;
  }
}
