package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A regular expression that users wrote, compiled with RE2/J: matching takes time linear in the
 * input whatever the pattern, so no pattern can stall an event loop. Two patterns are equal when
 * their text is, so that routes holding them compare by what they say.
 */
public final class Re2Pattern {

  private final String text;
  private final Pattern compiled;

  private Re2Pattern(String text, Pattern compiled) {
    this.text = text;
    this.compiled = compiled;
  }

  /**
   * Compiles {@code text}.
   *
   * @throws IllegalArgumentException when it is not RE2 syntax, with the parser's description
   */
  public static Re2Pattern of(String text) {
    requireNonNull(text, "text");
    try {
      return new Re2Pattern(text, Pattern.compile(text));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "pattern: " + text + ": " + e.getDescription() + " (expected: RE2 syntax)", e);
    }
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  /** Whether the pattern matches all of {@code input}, not just a part of it. */
  public boolean matchesWhole(String input) {
    return compiled.matches(input);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof Re2Pattern other && text.equals(other.text));
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
