package io.portico.router.proxy;

import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.Route;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;

/**
 * The one place where a rule's {@link HttpsPolicy} meets a request: plain-HTTP requests to a rule
 * that redirects get a 308 to {@code https://}, and HTTPS responses of TLS hosts get {@code
 * Strict-Transport-Security}.
 *
 * <p>308 (RFC 9110, section 15.4.9) rather than 301 keeps the method and body of the retried
 * request. Paths under {@code /.well-known/acme-challenge/} are never redirected: an ACME HTTP-01
 * validation must reach its solver over plain HTTP before the host has a certificate (RFC 8555,
 * section 8.3; ingress-nginx makes the same exception). Portico's HSTS value replaces one the
 * backend sends, so one Ingress setting decides it (RFC 6797: a browser honours only the first).
 */
final class HttpsRules {

  /** What HTTPS responses of TLS hosts carry: one year, subdomains included. */
  static final String HSTS_VALUE = "max-age=31536000; includeSubDomains";

  private static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";

  private final boolean tls;
  private final String redirectPortSuffix;
  private final boolean hsts;

  /**
   * @param tls whether this listener is the HTTPS one
   * @param redirectPort the port for {@code Location} URLs (443 is left out), already resolved
   * @param hsts whether HSTS is on for this listener
   */
  HttpsRules(boolean tls, int redirectPort, boolean hsts) {
    this.tls = tls;
    this.redirectPortSuffix = redirectPort == HttpsSettings.STANDARD_PORT ? "" : ":" + redirectPort;
    this.hsts = hsts;
  }

  /**
   * Applies the route's policy to the request.
   *
   * @param path the normalised request path
   * @return whether the request has been answered (a redirect) and must not be forwarded
   */
  boolean answered(HttpServerRequest request, String path, Route route) {
    HttpsPolicy policy = route.https();
    if (tls) {
      if (hsts && policy.strictTransportSecurity()) {
        HttpServerResponse response = request.response();
        response.headersEndHandler(
            v -> response.headers().set("strict-transport-security", HSTS_VALUE));
      }
      return false;
    }
    if (!policy.redirect() || path.startsWith(ACME_CHALLENGE)) {
      return false;
    }
    String location = location(request);
    if (location == null) {
      // Without a host there is no URL to redirect to; the rule serves the request as is.
      return false;
    }
    request.response().setStatusCode(308).putHeader("location", location).end();
    return true;
  }

  /** {@code https://} + host + port unless 443 + the path and query exactly as received. */
  private String location(HttpServerRequest request) {
    HostAndPort authority = request.authority();
    if (authority == null || authority.host().isEmpty()) {
      return null;
    }
    String host = authority.host();
    if (host.indexOf(':') >= 0 && host.charAt(0) != '[') {
      host = "[" + host + "]";
    }
    return "https://" + host + redirectPortSuffix + pathAndQuery(request);
  }

  /** The request target in origin form: as sent, or path and query of an absolute-form target. */
  private static String pathAndQuery(HttpServerRequest request) {
    String uri = request.uri();
    if (uri.startsWith("/")) {
      return uri;
    }
    String query = request.query();
    return query == null ? request.path() : request.path() + "?" + query;
  }
}
