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
    String decoded = decodeUnreserved(rawPath);
    return decoded == null ? null : removeDotSegments(decoded);
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

  private static @Nullable String decodeUnreserved(String path) {
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
      if (isUnreserved(decoded)) {
        out.append(decoded);
      } else {
        out.append('%').append(hexDigit(hi)).append(hexDigit(lo));
      }
      i += 2;
    }
    return out.toString();
  }

  private static String removeDotSegments(String path) {
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
