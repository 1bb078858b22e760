package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

/**
 * How the HTTPS listener behaves.
 *
 * @param port the HTTPS port, 0 for a free one
 * @param redirectPort the port named in the {@code Location} of redirects from plain HTTP: 443 is
 *     left out of the URL; 0 means the HTTPS listener's own port (what {@code portico demo} uses,
 *     so that {@code curl -L} works on one machine)
 * @param hsts whether HTTPS responses of TLS hosts carry {@code Strict-Transport-Security}
 * @param engine which TLS implementation serves
 * @param ocspStapling whether certificates that name an OCSP responder get their status fetched and
 *     stapled to handshakes ({@code enable-ocsp}; OpenSSL engine only, see {@link OcspStapler})
 */
public record HttpsSettings(
    int port, int redirectPort, boolean hsts, TlsEngine engine, boolean ocspStapling) {

  /** The standard HTTPS port, which redirect URLs leave out. */
  public static final int STANDARD_PORT = 443;

  public HttpsSettings {
    requireNonNull(engine, "engine");
    checkPort("port", port);
    checkPort("redirectPort", redirectPort);
  }

  /**
   * HTTPS on {@code port}, redirects to port 443, HSTS on, OpenSSL when it loads (else the JDK), no
   * OCSP stapling.
   */
  public static HttpsSettings defaults(int port) {
    return new HttpsSettings(port, STANDARD_PORT, true, TlsEngine.AUTO, false);
  }

  public HttpsSettings withRedirectPort(int newRedirectPort) {
    return new HttpsSettings(port, newRedirectPort, hsts, engine, ocspStapling);
  }

  public HttpsSettings withHsts(boolean newHsts) {
    return new HttpsSettings(port, redirectPort, newHsts, engine, ocspStapling);
  }

  public HttpsSettings withEngine(TlsEngine newEngine) {
    return new HttpsSettings(port, redirectPort, hsts, newEngine, ocspStapling);
  }

  public HttpsSettings withOcspStapling(boolean newOcspStapling) {
    return new HttpsSettings(port, redirectPort, hsts, engine, newOcspStapling);
  }

  private static void checkPort(String name, int value) {
    if (value < 0 || value > 65_535) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: 0 to 65535)");
    }
  }
}
