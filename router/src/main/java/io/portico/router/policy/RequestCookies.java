package io.portico.router.policy;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reads one cookie of a request, leniently as RFC 6265 section 5.4 asks of servers. */
final class RequestCookies {

  private RequestCookies() {}

  /**
   * The value of the first cookie named {@code name} in these {@code Cookie} headers (HTTP/2
   * clients may send several), without surrounding whitespace or double quotes; {@code null} when
   * none.
   */
  static @Nullable String first(List<String> headers, String name) {
    for (String header : headers) {
      String value = first(header, name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static @Nullable String first(String header, String name) {
    int length = header.length();
    int start = 0;
    while (start < length) {
      int end = header.indexOf(';', start);
      if (end < 0) {
        end = length;
      }
      int equals = header.indexOf('=', start);
      if (equals >= 0 && equals < end) {
        int nameStart = skipSpace(header, start, equals);
        int nameEnd = trimSpace(header, nameStart, equals);
        if (nameEnd - nameStart == name.length()
            && header.regionMatches(nameStart, name, 0, name.length())) {
          int valueStart = skipSpace(header, equals + 1, end);
          int valueEnd = trimSpace(header, valueStart, end);
          if (valueEnd - valueStart >= 2
              && header.charAt(valueStart) == '"'
              && header.charAt(valueEnd - 1) == '"') {
            valueStart++;
            valueEnd--;
          }
          return header.substring(valueStart, valueEnd);
        }
      }
      start = end + 1;
    }
    return null;
  }

  private static int skipSpace(String text, int from, int to) {
    while (from < to && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) {
      from++;
    }
    return from;
  }

  private static int trimSpace(String text, int from, int to) {
    while (to > from && (text.charAt(to - 1) == ' ' || text.charAt(to - 1) == '\t')) {
      to--;
    }
    return to;
  }
}
