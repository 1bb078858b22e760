package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * A path template with references to the capture groups of a rule's expression: {@code $1} to
 * {@code $9}, one digit each as in nginx ({@code $10} is {@code $1} then {@code 0}). A group that
 * did not take part in the match, or that the expression does not have, is empty. Any other {@code
 * $} is a literal character: a template is data, never a variable of the proxy.
 */
public final class RewriteTemplate {

  private final String text;
  // Literal text before each group reference, then the text after the last one.
  private final String[] literals;
  private final int[] groups;

  private RewriteTemplate(String text, String[] literals, int[] groups) {
    this.text = text;
    this.literals = literals;
    this.groups = groups;
  }

  /** Parses a template. */
  public static RewriteTemplate of(String text) {
    requireNonNull(text, "text");
    List<String> literals = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && isGroupDigit(text.charAt(i + 1))) {
        literals.add(literal.toString());
        literal.setLength(0);
        groups.add(text.charAt(i + 1) - '0');
        i++;
      } else {
        literal.append(c);
      }
    }
    literals.add(literal.toString());
    return new RewriteTemplate(
        text,
        literals.toArray(new String[0]),
        groups.stream().mapToInt(Integer::intValue).toArray());
  }

  private static boolean isGroupDigit(char c) {
    return c >= '1' && c <= '9';
  }

  /** The template as written. */
  public String text() {
    return text;
  }

  /** The literal text before the first group reference (all of it when there is none). */
  public String literalStart() {
    return literals[0];
  }

  /** Whether the template refers to a capture group. */
  public boolean hasGroups() {
    return groups.length > 0;
  }

  /** The template with the groups of a successful match filled in. */
  public String expand(Matcher match) {
    if (groups.length == 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 32);
    int count = match.groupCount();
    for (int i = 0; i < groups.length; i++) {
      out.append(literals[i]);
      if (groups[i] <= count) {
        String group = match.group(groups[i]);
        if (group != null) {
          out.append(group);
        }
      }
    }
    return out.append(literals[groups.length]).toString();
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof RewriteTemplate other && text.equals(other.text));
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
