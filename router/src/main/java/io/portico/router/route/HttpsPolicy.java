package io.portico.router.route;

import io.portico.router.policy.HttpsRedirectPolicy;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.StrictTransportSecurityPolicy;

/**
 * What a rule asks of plain HTTP and HTTPS, decided in translation from its Ingress ({@code
 * spec.tls} and the {@code ssl-redirect} annotations). The proxy applies it as the request policies
 * of {@link #requestPolicies()}.
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

  /**
   * The request policies that carry this out: {@link HttpsRedirectPolicy} and {@link
   * StrictTransportSecurityPolicy}, as asked; {@link RoutePolicies#NONE} for {@link #NONE}. The
   * four possible sets are built once and shared by every route.
   */
  public RoutePolicies requestPolicies() {
    if (redirect) {
      return strictTransportSecurity ? Shared.BOTH : Shared.REDIRECT;
    }
    return strictTransportSecurity ? Shared.HSTS : RoutePolicies.NONE;
  }

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

  /** Built on first use, after both policy classes are initialised. */
  private static final class Shared {
    static final RoutePolicies REDIRECT = RoutePolicies.of(HttpsRedirectPolicy.INSTANCE);
    static final RoutePolicies HSTS = RoutePolicies.of(StrictTransportSecurityPolicy.INSTANCE);
    static final RoutePolicies BOTH =
        RoutePolicies.of(HttpsRedirectPolicy.INSTANCE, StrictTransportSecurityPolicy.INSTANCE);
  }
}
