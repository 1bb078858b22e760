package io.portico.router.policy;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reads one cookie of a request, leniently as RFC 6265 section 5.4 asks of servers. */
public final class RequestCookies {

  private RequestCookies() {}

  /**
   * The value of the first cookie named {@code name} in these {@code Cookie} headers (HTTP/2
   * clients may send several), without surrounding whitespace or double quotes; {@code null} when
   * none.
   */
  public static @Nullable String first(List<String> headers, String name) {
    for (String header : headers) {
      String value = first(header, name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static @Nullable String first(String header, String name) {
    long span = CookieHeader.next(header, name, 0);
    return span == CookieHeader.NOT_FOUND
        ? null
        : header.substring(CookieHeader.valueStart(span), CookieHeader.valueEnd(span));
  }
}
