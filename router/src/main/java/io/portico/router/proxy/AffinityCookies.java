package io.portico.router.proxy;

import io.portico.router.balance.CookieAffinity;
import io.portico.router.balance.SameSite;
import io.portico.router.balance.StickyIndex;
import io.portico.router.policy.CookieHeader;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Reads the session cookie from a request and writes the {@code Set-Cookie} header that pins a
 * client (RFC 6265).
 */
final class AffinityCookies {

  /** IMF-fixdate, the only date form RFC 6265 asks servers to send. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private AffinityCookies() {}

  /**
   * The endpoint the request's session cookie pins, or {@link StickyIndex#NONE}. Every cookie of
   * the configured name is tried, in every {@code Cookie} header (HTTP/2 clients may split them):
   * another backend's cookie of the same name, one from a previous key, or junk is skipped, and the
   * first value this backend knows wins.
   */
  static int find(MultiMap requestHeaders, StickyIndex sticky) {
    List<String> headers = requestHeaders.getAll("cookie");
    String name = sticky.affinity().name();
    for (int i = 0; i < headers.size(); i++) {
      int index = find(headers.get(i), name, sticky);
      if (index != StickyIndex.NONE) {
        return index;
      }
    }
    return StickyIndex.NONE;
  }

  /**
   * Scans one {@code Cookie} header ({@link CookieHeader}) for the cookie {@code name} whose value
   * this backend knows: several cookies may share the name, and the first value it knows wins.
   */
  static int find(String header, String name, StickyIndex sticky) {
    long span = CookieHeader.next(header, name, 0);
    while (span != CookieHeader.NOT_FOUND) {
      int index = sticky.match(header, CookieHeader.valueStart(span), CookieHeader.valueEnd(span));
      if (index != StickyIndex.NONE) {
        return index;
      }
      span = CookieHeader.next(header, name, CookieHeader.after(header, span));
    }
    return StickyIndex.NONE;
  }

  /**
   * The {@code Set-Cookie} value that pins a client.
   *
   * @param value the cookie value from {@link StickyIndex}
   * @param rulePath the path of the rule the request matched, the {@code Path} unless configured
   * @param https whether the request came over HTTPS; the cookie is then {@code Secure}
   * @param userAgent the request's {@code User-Agent}, for the conditional {@code SameSite=None}
   * @param now the time {@code Expires} counts from
   */
  static String setCookie(
      CookieAffinity affinity,
      String value,
      String rulePath,
      boolean https,
      String userAgent,
      Instant now) {
    StringBuilder out = new StringBuilder(128).append(affinity.name()).append('=').append(value);
    // A rule path may hold characters a Path attribute cannot (a ;): the whole site is then the
    // closest safe scope.
    String path = affinity.path().orElse(CookieAffinity.isValidPath(rulePath) ? rulePath : "/");
    out.append("; Path=").append(path);
    affinity.domain().ifPresent(domain -> out.append("; Domain=").append(domain));
    affinity.maxAgeSeconds().ifPresent(seconds -> out.append("; Max-Age=").append(seconds));
    affinity
        .expiresSeconds()
        .ifPresent(
            seconds -> out.append("; Expires=").append(HTTP_DATE.format(now.plusSeconds(seconds))));
    if (https || affinity.secure()) {
      out.append("; Secure");
    }
    out.append("; HttpOnly");
    affinity
        .sameSite()
        .ifPresent(
            sameSite -> {
              if (sameSite != SameSite.NONE
                  || !affinity.conditionalSameSiteNone()
                  || SameSiteNone.supported(userAgent)) {
                out.append("; SameSite=").append(sameSite.attribute());
              }
            });
    return out.toString();
  }
}
