package io.portico.controller.annotations;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.portico.router.policy.CanaryMatch;
import io.portico.router.policy.HeaderMatch;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Canary Ingresses: {@code canary}, {@code canary-by-header}, {@code canary-by-header-value},
 * {@code canary-by-header-pattern}, {@code canary-by-cookie}, {@code canary-weight}, {@code
 * canary-weight-total} and {@code affinity-canary-behavior}, read into the {@link CanarySpec} of
 * the Ingress with ingress-nginx's names, defaults and semantics (its Lua balancer's, where they
 * differ from its docs):
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
 * <p>Fail closed: a canary must never take traffic its annotations do not clearly give it. A {@code
 * canary} value that is not a boolean, or {@code canary-*} annotations without {@code canary} at
 * all, refuse the Ingress (ingress-nginx serves it as a normal Ingress, which takes all the traffic
 * of its rules). A weight or total that cannot be read, or a weight above its total, gives the
 * canary no requests by weight; a header pattern RE2 cannot compile sends the requests that carry
 * the header to the main backend.
 *
 * <p>On a canary, every annotation of another family but balancing and affinity (its own backend's)
 * is reported unused: the rules it joins behave as their main Ingress says. An annotation the
 * catalogue refuses still refuses a canary.
 */
public final class CanaryFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "canary";

  /** The total ingress-nginx counts weights over, and the least it accepts. */
  public static final int DEFAULT_WEIGHT_TOTAL = 100;

  private static final String CANARY = "canary";
  private static final String BEHAVIOR = "affinity-canary-behavior";

  private static final Set<String> ANNOTATIONS =
      Set.of(
          BEHAVIOR,
          CANARY,
          "canary-by-cookie",
          "canary-by-header",
          "canary-by-header-pattern",
          "canary-by-header-value",
          "canary-weight",
          "canary-weight-total");

  private static final String ON_A_CANARY =
      "a canary Ingress only adds a backend to the rules it joins, which behave as their main"
          + " Ingress says";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> annotations() {
    return ANNOTATIONS;
  }

  @Override
  public void read(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    Optional<String> canary = values.get(CANARY);
    if (canary.isEmpty()) {
      withoutCanary(values, report);
      return;
    }
    Optional<Boolean> isCanary = Booleans.parse(canary.get());
    if (isCanary.isEmpty()) {
      report.refuse(
          CANARY,
          "\""
              + canary.get()
              + "\" is neither true nor false (expected: "
              + Booleans.EXPECTED
              + "): served as a normal Ingress, a canary would take all the traffic of its rules");
      for (String name : ANNOTATIONS) {
        if (!name.equals(CANARY) && values.has(name)) {
          report.unused(name, "canary cannot be read");
        }
      }
      return;
    }
    if (!isCanary.get()) {
      for (String name : ANNOTATIONS) {
        if (!name.equals(CANARY) && values.has(name)) {
          report.unused(name, "the Ingress is not a canary (canary is \"" + canary.get() + "\")");
        }
      }
      return;
    }
    policy.canary(new Reading(values, report).spec());
    for (String name : values.names()) {
      if (!ANNOTATIONS.contains(name) && !AffinityFamily.ANNOTATIONS.contains(name)) {
        report.unused(name, ON_A_CANARY);
      }
    }
  }

  /**
   * {@code canary-*} without {@code canary}: refused, since ingress-nginx would serve the Ingress
   * as a normal one with all the traffic of its rules, surely not what was meant.
   */
  private static void withoutCanary(AnnotationValues values, AnnotationReport report) {
    for (String name : ANNOTATIONS) {
      if (!values.has(name)) {
        continue;
      }
      if (name.equals(BEHAVIOR)) {
        report.unused(name, "read on canary Ingresses, and canary is not set");
      } else {
        report.refuse(
            name,
            "canary: \"true\" is not set: served as a normal Ingress, the canary would take all"
                + " the traffic of its rules");
      }
    }
  }

  /** One read of one canary Ingress. */
  private static final class Reading {
    private final AnnotationValues values;
    private final AnnotationReport report;

    Reading(AnnotationValues values, AnnotationReport report) {
      this.values = values;
      this.report = report;
    }

    CanarySpec spec() {
      Optional<HeaderMatch> header = header();
      Optional<String> cookie = cookie();
      Optional<Integer> total = weightTotal();
      int weight = 0;
      if (total.isPresent()) {
        weight = weight(total.get());
      } else if (values.has("canary-weight")) {
        // A weight means nothing without its total.
        report.unused("canary-weight", "canary-weight-total cannot be read");
      }
      return new CanarySpec(
          new CanaryMatch(header, cookie, weight), total.orElse(DEFAULT_WEIGHT_TOTAL), sticky());
    }

    private Optional<HeaderMatch> header() {
      Optional<String> name = values.get("canary-by-header");
      Optional<String> value = values.get("canary-by-header-value").filter(v -> !v.isEmpty());
      Optional<String> pattern = values.get("canary-by-header-pattern").filter(p -> !p.isEmpty());
      if (name.isEmpty() || name.get().isEmpty()) {
        value.ifPresent(
            v -> report.unused("canary-by-header-value", "canary-by-header is not set"));
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
      Optional<String> name = values.get("canary-by-cookie").filter(c -> !c.isEmpty());
      if (name.isPresent() && !isToken(name.get())) {
        report.invalid("canary-by-cookie", name.get(), "a cookie name", "no canary rule by cookie");
        return Optional.empty();
      }
      return name;
    }

    /** The weight, 0 when unset, invalid or above {@code total}. */
    private int weight(int total) {
      Optional<String> value = values.get("canary-weight").filter(v -> !v.isEmpty());
      if (value.isEmpty()) {
        return 0;
      }
      Optional<Integer> weight = wholeNumber(value.get());
      if (weight.isEmpty()) {
        report.invalid(
            "canary-weight",
            value.get(),
            "a whole number, 0 or more",
            "the canary takes no requests by weight");
        return 0;
      }
      if (weight.get() > total) {
        report.invalid(
            "canary-weight",
            value.get(),
            "at most the weight total, " + total,
            "the canary takes no requests by weight");
        return 0;
      }
      return weight.get();
    }

    /** The total, 100 when unset or below 100; empty when invalid (reported). */
    private Optional<Integer> weightTotal() {
      Optional<String> value = values.get("canary-weight-total").filter(v -> !v.isEmpty());
      if (value.isEmpty()) {
        return Optional.of(DEFAULT_WEIGHT_TOTAL);
      }
      Optional<Integer> total = wholeNumber(value.get());
      if (total.isEmpty()) {
        report.invalid(
            "canary-weight-total",
            value.get(),
            "a whole number, " + DEFAULT_WEIGHT_TOTAL + " or more",
            "the canary takes no requests by weight");
        return Optional.empty();
      }
      if (total.get() < DEFAULT_WEIGHT_TOTAL) {
        report.unused(
            "canary-weight-total",
            "a total below "
                + DEFAULT_WEIGHT_TOTAL
                + " is ignored, as ingress-nginx ignores it; weights count over "
                + DEFAULT_WEIGHT_TOTAL);
        return Optional.of(DEFAULT_WEIGHT_TOTAL);
      }
      return total;
    }

    private boolean sticky() {
      Optional<String> behavior = values.get(BEHAVIOR).filter(b -> !b.isEmpty());
      if (behavior.isEmpty()) {
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
          report.invalid(BEHAVIOR, behavior.get(), "sticky or legacy", "using sticky");
          return true;
        }
      }
    }
  }

  private static Optional<Integer> wholeNumber(String value) {
    try {
      int parsed = Integer.parseInt(value);
      return parsed >= 0 ? Optional.of(parsed) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
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
