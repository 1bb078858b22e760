package io.portico.router.proxy;

/**
 * Which user agents mishandle {@code SameSite=None}: older Chrome rejects the whole cookie, and
 * Safari on macOS 10.14 and every browser on iOS 12 treat it as {@code Strict} (<a
 * href="https://www.chromium.org/updates/same-site/incompatible-clients">Chromium's list of
 * incompatible clients</a>). With {@code session-cookie-conditional-samesite-none}, such clients
 * get the cookie without a {@code SameSite} attribute.
 *
 * <p>The rules are ingress-nginx's, so a migrated Ingress behaves the same: they match Chrome 40 to
 * 69 by the major version's first digit (wider than Chromium's 51 to 66, on the safe side), iOS and
 * iPadOS 12, and Safari (not Chrome) on macOS 10.14.
 */
final class SameSiteNone {

  private SameSiteNone() {}

  /**
   * Whether a client with this {@code User-Agent} handles {@code SameSite=None}; true when absent.
   */
  static boolean supported(String userAgent) {
    if (userAgent == null) {
      return true;
    }
    if (userAgent.contains("Chrome/4")
        || userAgent.contains("Chrome/5")
        || userAgent.contains("Chrome/6")) {
      return false;
    }
    if (userAgent.contains("CPU iPhone OS 12") || userAgent.contains("iPad; CPU OS 12")) {
      return false;
    }
    return !(userAgent.contains("Macintosh")
        && userAgent.contains("Intel Mac OS X 10_14")
        && userAgent.contains("Safari")
        && !userAgent.contains("Chrome"));
  }
}
