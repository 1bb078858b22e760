package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Everything a Gateway API match requires of a request: its path, and optionally its method,
 * headers and query parameters. All must hold.
 *
 * @param path the path condition ({@link PathMatch.Exact}, {@link PathMatch.Prefix} or {@link
 *     PathMatch.RegularExpression})
 * @param method the method required, upper case; {@code null} for any
 * @param headers header conditions (names compared without case)
 * @param queryParameters query parameter conditions (names compared with case)
 */
public record RequestConditions(
    PathMatch path,
    @Nullable String method,
    List<ValueCondition> headers,
    List<ValueCondition> queryParameters) {

  /**
   * A condition on one header or query parameter: its value equals {@code value}, or {@code
   * pattern} matches all of it.
   *
   * @param name the header (lower-cased here) or query parameter name
   * @param value the exact value, or {@code null} when {@code pattern} decides
   * @param pattern an RE2 pattern for the whole value, or {@code null} when {@code value} decides
   */
  public record ValueCondition(String name, @Nullable String value, @Nullable Re2Pattern pattern) {

    public ValueCondition {
      requireNonNull(name, "name");
      if ((value == null) == (pattern == null)) {
        throw new IllegalArgumentException(
            "condition on " + name + ": (expected: either a value or a pattern)");
      }
    }

    /** A header condition: an exact value. */
    public static ValueCondition exact(String name, String value) {
      return new ValueCondition(name, requireNonNull(value, "value"), null);
    }

    /** A condition whose value an RE2 pattern must match whole. */
    public static ValueCondition regex(String name, String pattern) {
      return new ValueCondition(name, null, Re2Pattern.of(pattern));
    }

    boolean holdsFor(@Nullable String actual) {
      if (actual == null) {
        return false;
      }
      // The constructor holds that exactly one of value and pattern is set.
      return value != null
          ? value.equals(actual)
          : requireNonNull(pattern, "pattern").matchesWhole(actual);
    }

    @Override
    public String toString() {
      return value != null ? name + "=" + value : name + "~" + pattern;
    }
  }

  public RequestConditions {
    requireNonNull(path, "path");
    headers =
        headers.stream()
            .map(h -> new ValueCondition(h.name().toLowerCase(Locale.ROOT), h.value(), h.pattern()))
            .toList();
    queryParameters = List.copyOf(queryParameters);
  }

  /** Only a path condition. */
  public static RequestConditions path(PathMatch path) {
    return new RequestConditions(path, null, List.of(), List.of());
  }

  /** Whether a request with this normalised path and these attributes meets every condition. */
  public boolean matches(String requestPath, RequestAttributes request) {
    if (!path.matches(requestPath)) {
      return false;
    }
    if (method != null && !method.equals(request.method())) {
      return false;
    }
    for (ValueCondition header : headers) {
      if (!header.holdsFor(request.header(header.name()))) {
        return false;
      }
    }
    for (ValueCondition parameter : queryParameters) {
      if (!parameter.holdsFor(request.queryParameter(parameter.name()))) {
        return false;
      }
    }
    return true;
  }

  /** {@code Exact /one method GET header version=one query animal=whale}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(path.typeName()).append(' ').append(path.path());
    if (method != null) {
      out.append(" method ").append(method);
    }
    headers.forEach(h -> out.append(" header ").append(h));
    queryParameters.forEach(q -> out.append(" query ").append(q));
    return out.toString();
  }
}
