package io.portico.router.route;

/**
 * What a rule asks of plain HTTP and HTTPS, decided in translation from its Ingress ({@code
 * spec.tls} and the {@code ssl-redirect} annotations) and applied by the proxy in one place.
 *
 * @param redirect plain-HTTP requests get a 308 to the same URL over {@code https://}
 * @param strictTransportSecurity HTTPS responses carry {@code Strict-Transport-Security} (unless
 *     the listener switches it off): the rule's host is one of its Ingress's TLS hosts
 */
public record HttpsPolicy(boolean redirect, boolean strictTransportSecurity) {

  /** Plain HTTP is served as is and HTTPS responses get no HSTS: a rule without TLS. */
  public static final HttpsPolicy NONE = new HttpsPolicy(false, false);

  /** The usual policy of a TLS host: redirect plain HTTP, HSTS over HTTPS. */
  public static final HttpsPolicy REDIRECT_AND_HSTS = new HttpsPolicy(true, true);

  /** Labels for {@link RouteTable#dump()}; empty for {@link #NONE}. */
  String label() {
    if (redirect && strictTransportSecurity) {
      return "https-redirect hsts";
    }
    if (redirect) {
      return "https-redirect";
    }
    return strictTransportSecurity ? "hsts" : "";
  }
}
