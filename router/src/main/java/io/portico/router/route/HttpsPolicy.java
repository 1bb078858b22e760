package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.HttpsRedirectPolicy;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.StrictTransportSecurityPolicy;

/**
 * What a rule asks of plain HTTP and HTTPS, decided in translation from its Ingress ({@code
 * spec.tls}, the {@code ssl-redirect} annotations) and the controller ConfigMap (the redirect
 * status, the HSTS value). The proxy applies it as the request policies of {@link
 * #requestPolicies()}.
 *
 * @param redirect plain-HTTP requests get a redirect to the same URL over {@code https://}
 * @param strictTransportSecurity HTTPS responses carry {@code Strict-Transport-Security} (unless
 *     the listener switches it off): the rule's host is one of its Ingress's TLS hosts
 * @param redirectStatus the status of that redirect: 301, 302, 307 or 308
 * @param strictTransportSecurityValue the value of that header
 * @param preserveTrailingSlash the redirect keeps a trailing slash of the path and query ({@code
 *     preserve-trailing-slash}); by default it leaves one out, as ingress-nginx does
 */
public record HttpsPolicy(
    boolean redirect,
    boolean strictTransportSecurity,
    int redirectStatus,
    String strictTransportSecurityValue,
    boolean preserveTrailingSlash) {

  /** Plain HTTP is served as is and HTTPS responses get no HSTS: a rule without TLS. */
  public static final HttpsPolicy NONE = new HttpsPolicy(false, false);

  /** The usual policy of a TLS host: redirect plain HTTP (308), HSTS over HTTPS (one year). */
  public static final HttpsPolicy REDIRECT_AND_HSTS = new HttpsPolicy(true, true);

  public HttpsPolicy {
    requireNonNull(strictTransportSecurityValue, "strictTransportSecurityValue");
    // The policies check the values: a bad one fails here, in translation, not on a request.
    new HttpsRedirectPolicy(redirectStatus);
    new StrictTransportSecurityPolicy(strictTransportSecurityValue);
    // Only a redirect has a slash to keep: one value for everything else keeps policies equal.
    preserveTrailingSlash &= redirect;
  }

  /** A policy whose redirect leaves one trailing slash out. */
  public HttpsPolicy(
      boolean redirect,
      boolean strictTransportSecurity,
      int redirectStatus,
      String strictTransportSecurityValue) {
    this(redirect, strictTransportSecurity, redirectStatus, strictTransportSecurityValue, false);
  }

  /** With the default redirect status and HSTS value. */
  public HttpsPolicy(
      boolean redirect, boolean strictTransportSecurity, boolean preserveTrailingSlash) {
    this(
        redirect,
        strictTransportSecurity,
        HttpsRedirectPolicy.DEFAULT_STATUS,
        StrictTransportSecurityPolicy.VALUE,
        preserveTrailingSlash);
  }

  /** With the default redirect status (308) and HSTS value (one year, subdomains included). */
  public HttpsPolicy(boolean redirect, boolean strictTransportSecurity) {
    this(
        redirect,
        strictTransportSecurity,
        HttpsRedirectPolicy.DEFAULT_STATUS,
        StrictTransportSecurityPolicy.VALUE);
  }

  /**
   * The request policies that carry this out: {@link HttpsRedirectPolicy} and {@link
   * StrictTransportSecurityPolicy}, as asked; {@link RoutePolicies#NONE} for {@link #NONE}. With
   * the default status and value, the four possible sets are built once and shared by every route.
   */
  public RoutePolicies requestPolicies() {
    if (!redirect && !strictTransportSecurity) {
      return RoutePolicies.NONE;
    }
    if (redirectStatus == HttpsRedirectPolicy.DEFAULT_STATUS
        && strictTransportSecurityValue.equals(StrictTransportSecurityPolicy.VALUE)
        && !preserveTrailingSlash) {
      if (redirect) {
        return strictTransportSecurity ? Shared.BOTH : Shared.REDIRECT;
      }
      return Shared.HSTS;
    }
    HttpsRedirectPolicy redirectPolicy =
        new HttpsRedirectPolicy(redirectStatus, preserveTrailingSlash);
    StrictTransportSecurityPolicy hsts =
        new StrictTransportSecurityPolicy(strictTransportSecurityValue);
    if (redirect) {
      return strictTransportSecurity
          ? RoutePolicies.of(redirectPolicy, hsts)
          : RoutePolicies.of(redirectPolicy);
    }
    return RoutePolicies.of(hsts);
  }

  /** Labels for {@link RouteTable#dump()}; empty for {@link #NONE}. Defaults are not shown. */
  String label() {
    StringBuilder label = new StringBuilder();
    if (redirect) {
      label.append("https-redirect");
      if (redirectStatus != HttpsRedirectPolicy.DEFAULT_STATUS) {
        label.append('=').append(redirectStatus);
      }
      if (preserveTrailingSlash) {
        label.append(" preserve-trailing-slash");
      }
    }
    if (strictTransportSecurity) {
      label.append(label.isEmpty() ? "" : " ").append("hsts");
      if (!strictTransportSecurityValue.equals(StrictTransportSecurityPolicy.VALUE)) {
        label.append("=\"").append(strictTransportSecurityValue).append('"');
      }
    }
    return label.toString();
  }

  /** Built on first use, after both policy classes are initialised. */
  private static final class Shared {
    static final RoutePolicies REDIRECT = RoutePolicies.of(HttpsRedirectPolicy.INSTANCE);
    static final RoutePolicies HSTS = RoutePolicies.of(StrictTransportSecurityPolicy.INSTANCE);
    static final RoutePolicies BOTH =
        RoutePolicies.of(HttpsRedirectPolicy.INSTANCE, StrictTransportSecurityPolicy.INSTANCE);
  }
}
