package io.portico.router.policy;

/**
 * HTTPS responses carry {@code Strict-Transport-Security} when the route's host is one of its
 * Ingress's TLS hosts, unless the listener switches HSTS off. Every response: the backend's,
 * Portico's own errors, a policy's answer. Portico's value replaces one the backend sends, so one
 * Ingress setting decides it (RFC 6797: a browser honours only the first).
 */
public record StrictTransportSecurityPolicy() implements ResponseHeadPolicy {

  /** The one instance routes share. */
  public static final StrictTransportSecurityPolicy INSTANCE = new StrictTransportSecurityPolicy();

  /** What HTTPS responses of TLS hosts carry: one year, subdomains included. */
  public static final String VALUE = "max-age=31536000; includeSubDomains";

  private static final String NAME = "strict-transport-security";

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.HEADERS;
  }

  @Override
  public void editResponseHead(PolicyRequest request, ResponseHead head) {
    if (request.tls() && request.listener().hsts()) {
      head.set(NAME, VALUE);
    }
  }
}
