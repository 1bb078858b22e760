package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * How a rule's path matches a request path. Every kind compares normalised request paths (see
 * {@link RequestPaths}); {@link Exact}, {@link Prefix} and {@link RegularExpression} are
 * case-sensitive, {@link Regex} is not.
 *
 * <p>Ingress {@code ImplementationSpecific} paths are matched as {@link Prefix}, unless the Ingress
 * asks for regular expressions (ingress-nginx's {@code use-regex}): then as {@link Regex}. {@link
 * RegularExpression} is the Gateway API's, whose semantics are exact: it never takes
 * ingress-nginx's {@code Regex} behaviours, and only the Gateway API's listener tables hold it.
 */
public sealed interface PathMatch
    permits PathMatch.Exact, PathMatch.Prefix, PathMatch.Regex, PathMatch.RegularExpression {

  /**
   * The path the rule matches on: the normalised rule path ({@code Prefix} without its trailing
   * slash), or the expression of a {@code Regex}.
   */
  String path();

  /**
   * The path as the rule wrote it, once normalised: what ingress-nginx sorts and matches rules by
   * on a host in regex mode ({@code /foo/} for a {@code Prefix} written with its trailing slash).
   */
  default String rulePath() {
    return path();
  }

  /** Whether a normalised request path matches. */
  boolean matches(String requestPath);

  /**
   * The name used in dumps and explanations: {@code Exact}, {@code Prefix}, {@code Regex} or {@code
   * RegularExpression}.
   */
  String typeName();

  /**
   * An {@code Exact} rule.
   *
   * @throws IllegalArgumentException when the path is not an absolute path
   */
  static PathMatch exact(String rulePath) {
    return new Exact(normalized(rulePath));
  }

  /**
   * A {@code Prefix} rule; a trailing slash does not change what it matches ({@code /foo/} matches
   * {@code /foo/bar}, like {@code /foo}), but is remembered (see {@link Prefix#trailingSlash()}).
   *
   * @throws IllegalArgumentException when the path is not an absolute path
   */
  static PathMatch prefix(String rulePath) {
    String path = normalized(rulePath);
    boolean trailingSlash = path.length() > 1 && path.endsWith("/");
    if (trailingSlash) {
      path = path.substring(0, path.length() - 1);
    }
    return new Prefix(path, trailingSlash);
  }

  /**
   * A {@code Regex} rule: an RE2 expression (linear-time matching, whatever the input), matched
   * case-insensitively against the start of the request path.
   *
   * @throws IllegalArgumentException when the expression does not start with {@code /}, is not a
   *     valid RE2 expression, or is larger than {@link Regex#MAX_PROGRAM_SIZE}
   */
  static PathMatch regex(String expression) {
    requireNonNull(expression, "expression");
    if (expression.isEmpty() || expression.charAt(0) != '/') {
      throw new IllegalArgumentException(
          "path: " + expression + " (expected: a regular expression starting with /)");
    }
    if (RegexBudget.estimate(expression, Regex.MAX_PROGRAM_SIZE) > Regex.MAX_PROGRAM_SIZE) {
      throw new IllegalArgumentException(
          "path: "
              + expression
              + " (expected: a regular expression of at most "
              + Regex.MAX_PROGRAM_SIZE
              + " instructions once its counted repetitions are expanded)");
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(expression, Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "path: "
              + expression
              + " (expected: an RE2 regular expression; "
              + e.getDescription()
              + ")",
          e);
    }
    if (pattern.programSize() > Regex.MAX_PROGRAM_SIZE) {
      throw new IllegalArgumentException(
          "path: "
              + expression
              + " (expected: a regular expression of at most "
              + Regex.MAX_PROGRAM_SIZE
              + " instructions; this one has "
              + pattern.programSize()
              + ")");
    }
    return new Regex(expression, pattern);
  }

  /**
   * A Gateway API {@code RegularExpression} rule: an RE2 pattern that must match the whole
   * normalised path, case-sensitive.
   *
   * @throws IllegalArgumentException when the pattern is not RE2 syntax
   */
  static PathMatch regularExpression(String pattern) {
    return new RegularExpression(Re2Pattern.of(pattern));
  }

  private static String normalized(String rulePath) {
    String path = RequestPaths.normalizeRulePath(rulePath);
    if (path == null) {
      throw new IllegalArgumentException(
          "path: " + rulePath + " (expected: an absolute path starting with /)");
    }
    return path;
  }

  /** The whole request path equals the rule path. */
  record Exact(String path) implements PathMatch {
    @Override
    public boolean matches(String requestPath) {
      return path.equals(requestPath);
    }

    @Override
    public String typeName() {
      return "Exact";
    }
  }

  /**
   * The rule path's segments are a prefix of the request path's segments: {@code /foo} matches
   * {@code /foo}, {@code /foo/} and {@code /foo/bar}, never {@code /foobar}.
   *
   * @param path the rule path without a trailing slash ({@code /} for the root)
   * @param trailingSlash whether the rule was written with a trailing slash ({@code /foo/}): on a
   *     host without regex rules, the request {@code /foo} is then redirected to {@code /foo/}
   *     (301) unless another rule serves {@code /foo} itself, as nginx does for such locations
   */
  record Prefix(String path, boolean trailingSlash) implements PathMatch {

    public Prefix {
      requireNonNull(path, "path");
      if (trailingSlash && path.equals("/")) {
        throw new IllegalArgumentException("trailingSlash: true (expected: false for the root)");
      }
    }

    @Override
    public String rulePath() {
      return trailingSlash ? path + "/" : path;
    }

    @Override
    public boolean matches(String requestPath) {
      if (path.equals("/")) {
        return true;
      }
      return requestPath.startsWith(path)
          && (requestPath.length() == path.length() || requestPath.charAt(path.length()) == '/');
    }

    @Override
    public String typeName() {
      return "Prefix";
    }
  }

  /**
   * The expression matches a start of the request path, ignoring case, as ingress-nginx's {@code
   * location ~* "^<path>"}: {@code /foo.+} matches {@code /FOO/bar}, and {@code /foo} matches
   * {@code /foobar}. RE2 (re2j) matches in time linear in the path whatever the expression, so a
   * tenant's expression cannot stall an event loop; what it does not support (backreferences,
   * lookaround) is refused when the rule is made.
   *
   * @param path the expression as the rule wrote it
   * @param pattern its compiled form, case-insensitive
   */
  record Regex(String path, Pattern pattern) implements PathMatch {

    /** The largest compiled expression accepted, in RE2 instructions. */
    public static final int MAX_PROGRAM_SIZE = 5_000;

    public Regex {
      requireNonNull(path, "path");
      requireNonNull(pattern, "pattern");
    }

    @Override
    public boolean matches(String requestPath) {
      return pattern.matcher(requestPath).lookingAt();
    }

    @Override
    public String typeName() {
      return "Regex";
    }
  }

  /**
   * The Gateway API's {@code RegularExpression}: an RE2 regular expression (linear time, whatever
   * the pattern) that matches the whole path, case-sensitive: {@code /v[0-9]+/.*} matches {@code
   * /v2/x}, not {@code /api/v2/x} nor {@code /V2/x}.
   */
  record RegularExpression(Re2Pattern pattern) implements PathMatch {

    public RegularExpression {
      requireNonNull(pattern, "pattern");
    }

    @Override
    public String path() {
      return pattern.text();
    }

    @Override
    public boolean matches(String requestPath) {
      return pattern.matchesWhole(requestPath);
    }

    @Override
    public String typeName() {
      return "RegularExpression";
    }
  }
}
