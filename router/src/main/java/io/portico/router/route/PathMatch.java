package io.portico.router.route;

/**
 * How a rule's path matches a request path. Every kind compares normalised paths (see {@link
 * RequestPaths}) and is case-sensitive.
 *
 * <p>Ingress {@code ImplementationSpecific} paths are matched as {@link Prefix}. {@link Regex} is
 * the Gateway API's {@code RegularExpression}; the Ingress tables hold {@code Exact} and {@code
 * Prefix} only.
 */
public sealed interface PathMatch permits PathMatch.Exact, PathMatch.Prefix, PathMatch.Regex {

  /** The normalised rule path. */
  String path();

  /** Whether a normalised request path matches. */
  boolean matches(String requestPath);

  /** The name used in dumps and explanations: {@code Exact} or {@code Prefix}. */
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
   * A {@code Prefix} rule; a trailing slash is ignored ({@code /foo/} is {@code /foo}).
   *
   * @throws IllegalArgumentException when the path is not an absolute path
   */
  static PathMatch prefix(String rulePath) {
    String path = normalized(rulePath);
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new Prefix(path);
  }

  /**
   * A {@code RegularExpression} rule: an RE2 pattern that must match the whole normalised path.
   *
   * @throws IllegalArgumentException when the pattern is not RE2 syntax
   */
  static PathMatch regex(String pattern) {
    return new Regex(Re2Pattern.of(pattern));
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
   */
  record Prefix(String path) implements PathMatch {
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
   * An RE2 regular expression (linear time, whatever the pattern) that matches the whole path,
   * case-sensitive: {@code /v[0-9]+/.*} matches {@code /v2/x}, not {@code /api/v2/x}.
   */
  record Regex(Re2Pattern pattern) implements PathMatch {

    public Regex {
      java.util.Objects.requireNonNull(pattern, "pattern");
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
