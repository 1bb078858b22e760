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
 * @param preserveTrailingSlash the redirect keeps a trailing slash of the path and query ({@code
 *     preserve-trailing-slash}); by default it leaves one out, as ingress-nginx does
 */
public record HttpsPolicy(
    boolean redirect, boolean strictTransportSecurity, boolean preserveTrailingSlash) {

  /** Plain HTTP is served as is and HTTPS responses get no HSTS: a rule without TLS. */
  public static final HttpsPolicy NONE = new HttpsPolicy(false, false);

  /** The usual policy of a TLS host: redirect plain HTTP, HSTS over HTTPS. */
  public static final HttpsPolicy REDIRECT_AND_HSTS = new HttpsPolicy(true, true);

  public HttpsPolicy {
    // Only a redirect has a slash to keep: one value for everything else keeps policies equal.
    preserveTrailingSlash &= redirect;
  }

  /** A policy whose redirect leaves one trailing slash out. */
  public HttpsPolicy(boolean redirect, boolean strictTransportSecurity) {
    this(redirect, strictTransportSecurity, false);
  }

  /**
   * The request policies that carry this out: {@link HttpsRedirectPolicy} and {@link
   * StrictTransportSecurityPolicy}, as asked; {@link RoutePolicies#NONE} for {@link #NONE}. The six
   * possible sets are built once and shared by every route.
   */
  public RoutePolicies requestPolicies() {
    if (redirect && preserveTrailingSlash) {
      return strictTransportSecurity ? Shared.BOTH_PRESERVING : Shared.REDIRECT_PRESERVING;
    }
    if (redirect) {
      return strictTransportSecurity ? Shared.BOTH : Shared.REDIRECT;
    }
    return strictTransportSecurity ? Shared.HSTS : RoutePolicies.NONE;
  }

  /** Labels for {@link RouteTable#dump()}; empty for {@link #NONE}. */
  String label() {
    String slash = preserveTrailingSlash ? " preserve-trailing-slash" : "";
    if (redirect && strictTransportSecurity) {
      return "https-redirect" + slash + " hsts";
    }
    if (redirect) {
      return "https-redirect" + slash;
    }
    return strictTransportSecurity ? "hsts" : "";
  }

  /** Built on first use, after both policy classes are initialised. */
  private static final class Shared {
    static final RoutePolicies REDIRECT = RoutePolicies.of(HttpsRedirectPolicy.INSTANCE);
    static final RoutePolicies HSTS = RoutePolicies.of(StrictTransportSecurityPolicy.INSTANCE);
    static final RoutePolicies BOTH =
        RoutePolicies.of(HttpsRedirectPolicy.INSTANCE, StrictTransportSecurityPolicy.INSTANCE);
    static final RoutePolicies REDIRECT_PRESERVING =
        RoutePolicies.of(HttpsRedirectPolicy.PRESERVING);
    static final RoutePolicies BOTH_PRESERVING =
        RoutePolicies.of(HttpsRedirectPolicy.PRESERVING, StrictTransportSecurityPolicy.INSTANCE);
  }
}
