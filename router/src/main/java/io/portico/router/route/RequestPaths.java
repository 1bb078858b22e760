package io.portico.router.route;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The path normalisation that matching uses, so that a request can never escape the rule it
 * matched. Portico matches on the normalised path and forwards the original path unchanged: the
 * backend sees exactly what the client sent, and the route was chosen for what that path means.
 *
 * <ol>
 *   <li>The path must start with {@code /}; a malformed escape ({@code %zz}) makes it invalid.
 *   <li>Escapes of unreserved characters (letters, digits, {@code - . _ ~}) are decoded, so {@code
 *       /%61pp1} is {@code /app1} and {@code %2E%2E} is {@code ..}. Every other escape stays
 *       encoded, with upper-case hex: {@code %2F} is a character inside a segment, never a
 *       separator, so {@code /app1%2Fadmin} does not match {@code /app1}.
 *   <li>Runs of {@code /} collapse into one.
 *   <li>Dot segments are removed (RFC 3986, section 5.2.4): {@code /app1/../admin} is {@code
 *       /admin}; {@code ..} never climbs above the root.
 * </ol>
 *
 * Matching stays case-sensitive, as the Ingress specification requires.
 *
 * <p>A request path is held to more than that (see {@link #normalizeRequest}): what the route was
 * chosen for must be what the backend reads, and backends read some paths differently from this
 * normalisation. Those paths are refused rather than forwarded.
 */
public final class RequestPaths {

  private RequestPaths() {}

  /**
   * Normalises a request path as described above.
   *
   * @return the normalised path, the argument itself when it is already normal (the common case, no
   *     allocation), or {@code null} when the path is invalid
   */
  public static @Nullable String normalize(@Nullable String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      return null;
    }
    if (!needsNormalization(rawPath)) {
      return rawPath;
    }
    String decoded = decodeUnreserved(rawPath, false, true);
    return decoded == null ? null : removeDotSegments(decoded, false);
  }

  /**
   * Normalises the path of a request as {@link #normalize} does, refusing first what common
   * backends read differently from it, so that a path cannot match one rule and reach another
   * backend path:
   *
   * <ul>
   *   <li>a backslash, raw or encoded ({@code %5C}): WHATWG URL parsers and IIS read it as {@code
   *       /}, so {@code /public/..\admin} is {@code /admin} there;
   *   <li>an encoded slash ({@code %2F}), unless {@code allowEncodedSlashes}: a backend that
   *       decodes it before routing reads {@code /public/..%2Fadmin} as {@code /admin};
   *   <li>a raw or encoded NUL or other control character, or a raw space: C strings end at NUL,
   *       and neither can be written in a request line without changing its meaning;
   *   <li>a path parameter on a dot segment ({@code /..;/}, {@code /.;x/}, also {@code ..%3B}):
   *       Tomcat and Spring remove the parameter and then the dot segment, so {@code
   *       /public/..;/admin} is {@code /admin} there.
   * </ul>
   *
   * <p>A parameter on any other segment ({@code /a;jsessionid=1}) is kept.
   *
   * @param allowEncodedSlashes whether {@code %2F} is accepted as a character inside a segment
   * @return the normalised path (the argument itself when it is already normal), or {@code null}
   *     when the path is invalid or refused
   */
  public static @Nullable String normalizeRequest(
      @Nullable String rawPath, boolean allowEncodedSlashes) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      return null;
    }
    boolean work = false;
    int length = rawPath.length();
    for (int i = 0; i < length; i++) {
      char c = rawPath.charAt(i);
      if (c <= ' ' || c == 0x7f || c == '\\') {
        return null;
      }
      if (c == '%') {
        work = true;
      } else if (c == '/' && i + 1 < length) {
        char next = rawPath.charAt(i + 1);
        if (next == '/') {
          work = true;
        } else if (next == '.') {
          if (isDotSegmentAt(rawPath, i + 1)) {
            work = true;
          } else if (isDotSegmentWithParameter(rawPath, i + 1)) {
            return null;
          }
        }
      }
    }
    if (!work) {
      return rawPath;
    }
    String decoded = decodeUnreserved(rawPath, true, allowEncodedSlashes);
    return decoded == null ? null : removeDotSegments(decoded, true);
  }

  /**
   * Normalises the path of an Ingress rule the same way a request path is normalised, after
   * percent-encoding characters a request line cannot carry (non-ASCII text, spaces), so that a
   * rule written as {@code /café} matches the request {@code /caf%C3%A9}.
   *
   * @return the normalised rule path, or {@code null} when it is not a valid absolute path
   */
  public static @Nullable String normalizeRulePath(@Nullable String rulePath) {
    if (rulePath == null || rulePath.isEmpty() || rulePath.charAt(0) != '/') {
      return null;
    }
    return normalize(encodeUnsafe(rulePath));
  }

  private static boolean needsNormalization(String path) {
    int length = path.length();
    for (int i = 0; i < length; i++) {
      char c = path.charAt(i);
      if (c == '%') {
        return true;
      }
      if (c == '/' && i + 1 < length) {
        char next = path.charAt(i + 1);
        if (next == '/') {
          return true;
        }
        if (next == '.' && isDotSegmentAt(path, i + 1)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether {@code "."} or {@code ".."} starts at {@code start} and ends a segment. */
  private static boolean isDotSegmentAt(String path, int start) {
    int end = start + 1;
    if (end < path.length() && path.charAt(end) == '.') {
      end++;
    }
    return end == path.length() || path.charAt(end) == '/';
  }

  /**
   * Whether {@code "."} or {@code ".."} starts at {@code start} and is followed by a parameter
   * ({@code ;}, or its escape {@code %3B}).
   */
  private static boolean isDotSegmentWithParameter(String path, int start) {
    int end = start + 1;
    if (end < path.length() && path.charAt(end) == '.') {
      end++;
    }
    return path.startsWith(";", end) || path.regionMatches(true, end, "%3B", 0, 3);
  }

  /**
   * Decodes the escapes of unreserved characters; {@code null} for a malformed escape and, when
   * {@code strict}, for the escape of a control character or backslash, or of a slash unless {@code
   * allowSlash}.
   */
  private static @Nullable String decodeUnreserved(
      String path, boolean strict, boolean allowSlash) {
    StringBuilder out = new StringBuilder(path.length());
    int length = path.length();
    for (int i = 0; i < length; i++) {
      char c = path.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i + 2 >= length) {
        return null;
      }
      int hi = Character.digit(path.charAt(i + 1), 16);
      int lo = Character.digit(path.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      char decoded = (char) (hi * 16 + lo);
      if (strict
          && (decoded < ' '
              || decoded == 0x7f
              || decoded == '\\'
              || (decoded == '/' && !allowSlash))) {
        return null;
      }
      if (isUnreserved(decoded)) {
        out.append(decoded);
      } else {
        out.append('%').append(hexDigit(hi)).append(hexDigit(lo));
      }
      i += 2;
    }
    return out.toString();
  }

  /**
   * Removes dot segments; when {@code refuseParameters}, returns {@code null} for a dot segment
   * with a parameter.
   */
  private static @Nullable String removeDotSegments(String path, boolean refuseParameters) {
    List<String> segments = new ArrayList<>();
    boolean trailingSlash = false;
    int start = 1;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      String segment = path.substring(start, end);
      boolean last = end == path.length();
      if (refuseParameters && segment.startsWith(".") && isDotSegmentWithParameter(segment, 0)) {
        return null;
      }
      switch (segment) {
        case "", "." -> trailingSlash = last;
        case ".." -> {
          if (!segments.isEmpty()) {
            segments.remove(segments.size() - 1);
          }
          trailingSlash = last;
        }
        default -> {
          segments.add(segment);
          trailingSlash = false;
        }
      }
      start = end + 1;
    }
    if (segments.isEmpty()) {
      return "/";
    }
    StringBuilder out = new StringBuilder(path.length());
    for (String segment : segments) {
      out.append('/').append(segment);
    }
    if (trailingSlash) {
      out.append('/');
    }
    return out.toString();
  }

  private static String encodeUnsafe(String path) {
    boolean safe = true;
    for (int i = 0; i < path.length() && safe; i++) {
      char c = path.charAt(i);
      safe = c > ' ' && c < 0x7f;
    }
    if (safe) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length() + 16);
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int u = b & 0xff;
      if (u > ' ' && u < 0x7f) {
        out.append((char) u);
      } else {
        out.append('%').append(hexDigit(u >> 4)).append(hexDigit(u & 0xf));
      }
    }
    return out.toString();
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static char hexDigit(int value) {
    return "0123456789ABCDEF".charAt(value);
  }
}
