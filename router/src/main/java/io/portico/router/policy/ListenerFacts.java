package io.portico.router.policy;

/**
 * What a policy may know of the listener a request came through: settings of the listener, not of
 * the route, so the route's policies stay the same on every listener.
 *
 * @param tls whether the listener is the HTTPS one
 * @param httpsRedirectPort the port {@code https://} redirects name (443 is left out of the URL)
 * @param hsts whether HTTPS responses of TLS hosts may carry {@code Strict-Transport-Security}
 */
public record ListenerFacts(boolean tls, int httpsRedirectPort, boolean hsts) {

  /** The standard HTTPS port, which redirect URLs leave out. */
  public static final int STANDARD_HTTPS_PORT = 443;

  public ListenerFacts {
    if (httpsRedirectPort < 1 || httpsRedirectPort > 65_535) {
      throw new IllegalArgumentException(
          "httpsRedirectPort: " + httpsRedirectPort + " (expected: 1 to 65535)");
    }
  }
}
