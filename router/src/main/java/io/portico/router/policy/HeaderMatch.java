package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;

/**
 * How a canary reads its request header ({@code canary-by-header} and its value or pattern). A
 * header the request does not carry matches nothing; the header's first value is the one read.
 */
public sealed interface HeaderMatch {

  /** The header's name, matched case-insensitively. */
  String name();

  /** What a request carrying the header does to the canary. */
  enum Verdict {
    /** The request takes the canary. */
    TAKE,
    /** The request never takes the canary: cookie and weight are not asked. */
    EXCLUDE,
    /** The header decides nothing: the cookie, then the weight, decide. */
    FALL_THROUGH
  }

  /** What a request whose header has {@code value} does to the canary. */
  Verdict verdict(String value);

  /** {@code always} takes the canary, {@code never} excludes it, any other value falls through. */
  record AlwaysOrNever(String name) implements HeaderMatch {
    public AlwaysOrNever {
      HeaderEdits.checkName(name);
    }

    @Override
    public Verdict verdict(String value) {
      return switch (value) {
        case "always" -> Verdict.TAKE;
        case "never" -> Verdict.EXCLUDE;
        default -> Verdict.FALL_THROUGH;
      };
    }

    @Override
    public String toString() {
      return "header " + name + ": always|never";
    }
  }

  /** Exactly {@code value} (case-sensitive) takes the canary; any other value falls through. */
  record Value(String name, String value) implements HeaderMatch {
    public Value {
      HeaderEdits.checkName(name);
      requireNonNull(value, "value");
    }

    @Override
    public Verdict verdict(String actual) {
      return value.equals(actual) ? Verdict.TAKE : Verdict.FALL_THROUGH;
    }

    @Override
    public String toString() {
      return "header " + name + ": " + value;
    }
  }

  /**
   * A value the pattern finds a match in (anywhere, unless the pattern anchors itself) takes the
   * canary; any other value falls through. RE2 syntax, linear in the length of the value.
   */
  record Regex(String name, Pattern pattern) implements HeaderMatch {
    public Regex {
      HeaderEdits.checkName(name);
      requireNonNull(pattern, "pattern");
    }

    @Override
    public Verdict verdict(String value) {
      return pattern.matcher(value).find() ? Verdict.TAKE : Verdict.FALL_THROUGH;
    }

    @Override
    public String toString() {
      return "header " + name + " ~ " + pattern.pattern();
    }
  }

  /**
   * A pattern that could not be compiled: a request carrying the header never takes the canary, as
   * ingress-nginx sends it to the main backend when its pattern fails.
   */
  record Unusable(String name) implements HeaderMatch {
    public Unusable {
      HeaderEdits.checkName(name);
    }

    @Override
    public Verdict verdict(String value) {
      return Verdict.EXCLUDE;
    }

    @Override
    public String toString() {
      return "header " + name + " (unusable pattern)";
    }
  }
}
