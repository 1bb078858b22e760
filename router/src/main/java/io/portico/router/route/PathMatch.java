package io.portico.router.route;

/**
 * How a rule's path matches a request path. Both kinds compare normalised paths (see {@link
 * RequestPaths}) and are case-sensitive.
 *
 * <p>Ingress {@code ImplementationSpecific} paths are matched as {@link Prefix}.
 */
public sealed interface PathMatch permits PathMatch.Exact, PathMatch.Prefix {

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
}
