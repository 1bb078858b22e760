package io.portico.router.policy;

/**
 * Plain-HTTP requests get a redirect (308 unless configured otherwise) to the same URL over {@code
 * https://}: the route's host is one of its Ingress's TLS hosts, or its Ingress forces the
 * redirect. As in ingress-nginx, one trailing {@code /} of the path and query is left out ({@code
 * /} becomes {@code https://host}) unless the Ingress asks to preserve it ({@code
 * preserve-trailing-slash}).
 *
 * <p>308 (RFC 9110, section 15.4.9) rather than 301 keeps the method and body of the retried
 * request; ingress-nginx's {@code http-redirect-code} may choose 301, 302 or 307 instead. Paths
 * under {@code /.well-known/acme-challenge/} are never redirected: an ACME HTTP-01 validation must
 * reach its solver over plain HTTP before the host has a certificate (RFC 8555, section 8.3;
 * ingress-nginx makes the same exception). A request without a host has no URL to redirect to, and
 * is served as it is.
 */
public record HttpsRedirectPolicy(int status, boolean preserveTrailingSlash)
    implements RequestPolicy {

  /** The redirect status unless configured otherwise: 308 Permanent Redirect. */
  public static final int DEFAULT_STATUS = 308;

  /** The instance routes with the default status share. */
  public static final HttpsRedirectPolicy INSTANCE = new HttpsRedirectPolicy(DEFAULT_STATUS);

  /**
   * @param status 301, 302, 307 or 308
   * @param preserveTrailingSlash keep a trailing slash of the path and query ({@code
   *     preserve-trailing-slash}); by default one is left out, as ingress-nginx does
   */
  public HttpsRedirectPolicy {
    if (status != 301 && status != 302 && status != 307 && status != 308) {
      throw new IllegalArgumentException("status: " + status + " (expected: 301, 302, 307 or 308)");
    }
  }

  /** A redirect with {@code status} that leaves one trailing slash out. */
  public HttpsRedirectPolicy(int status) {
    this(status, false);
  }

  /** A redirect with the default status, 308, that leaves one trailing slash out. */
  public HttpsRedirectPolicy() {
    this(DEFAULT_STATUS);
  }

  private static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.REDIRECT;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    String host = request.host();
    if (request.requestedHttps()
        || request.path().startsWith(ACME_CHALLENGE)
        || host == null
        || host.isEmpty()) {
      exchange.proceed();
      return;
    }
    exchange.answer(PolicyAnswer.redirect(status, location(request, host)));
  }

  /**
   * {@code https://} + host + port unless 443 + the path and query as received, less one trailing
   * slash unless preserved.
   */
  private String location(PolicyRequest request, String host) {
    StringBuilder url = new StringBuilder(64).append("https://");
    if (host.indexOf(':') >= 0 && host.charAt(0) != '[') {
      url.append('[').append(host).append(']');
    } else {
      url.append(host);
    }
    int port = request.listener().httpsRedirectPort();
    if (port != ListenerFacts.STANDARD_HTTPS_PORT) {
      url.append(':').append(port);
    }
    String pathAndQuery = request.pathAndQuery();
    if (!preserveTrailingSlash && pathAndQuery.endsWith("/")) {
      pathAndQuery = pathAndQuery.substring(0, pathAndQuery.length() - 1);
    }
    return url.append(pathAndQuery).toString();
  }
}
