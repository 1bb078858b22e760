package io.portico.router.policy;

/**
 * Finds cookies in one {@code Cookie} header, {@code name=value} pairs separated by {@code ;},
 * leniently as RFC 6265 section 5.4 asks of servers: whitespace around names and values is ignored,
 * as are pairs without {@code =}; a value in double quotes is read without them.
 *
 * <p>A found value is a span of the header packed in a {@code long}, so that the request path scans
 * cookies without allocating: read it with {@link #valueStart} and {@link #valueEnd}, and go on to
 * the next cookie of the same name from {@link #after}.
 */
public final class CookieHeader {

  /** What {@link #next} answers when no further cookie has the name. */
  public static final long NOT_FOUND = -1;

  private CookieHeader() {}

  /**
   * The value of the first cookie named {@code name} that starts at or after {@code from}, as a
   * span; {@link #NOT_FOUND} when none.
   */
  public static long next(String header, String name, int from) {
    int length = header.length();
    int start = from;
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
          return ((long) valueStart << 32) | valueEnd;
        }
      }
      start = end + 1;
    }
    return NOT_FOUND;
  }

  /** Where a found value starts in its header. */
  public static int valueStart(long span) {
    return (int) (span >>> 32);
  }

  /** Where a found value ends (exclusive) in its header. */
  public static int valueEnd(long span) {
    return (int) span;
  }

  /** Where the scan for the next cookie goes on after a found one. */
  public static int after(String header, long span) {
    int separator = header.indexOf(';', valueEnd(span));
    return separator < 0 ? header.length() : separator + 1;
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
