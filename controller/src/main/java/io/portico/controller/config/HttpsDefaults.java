package io.portico.controller.config;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.StrictTransportSecurityPolicy;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.PathMatch;
import java.util.List;

/**
 * What the controller ConfigMap says about HTTPS for every rule: the status of the redirect to
 * HTTPS ({@code http-redirect-code}), the {@code Strict-Transport-Security} header ({@code hsts},
 * {@code hsts-max-age}, {@code hsts-include-subdomains}, {@code hsts-preload}) and the rule paths
 * never redirected ({@code no-tls-redirect-locations}). Whether a rule redirects at all, and
 * whether its host is a TLS host, is its Ingress's to say ({@code spec.tls}, {@code ssl-redirect},
 * {@code force-ssl-redirect}, whose defaults are {@link ConfigKeys#SSL_REDIRECT} and {@link
 * ConfigKeys#FORCE_SSL_REDIRECT}).
 *
 * @param redirectStatus 301, 302, 307 or 308
 * @param hsts whether HTTPS responses of TLS hosts carry the header
 * @param hstsValue its value, e.g. {@code max-age=31536000; includeSubDomains}
 * @param noRedirectLocations path prefixes whose rules never redirect
 */
public record HttpsDefaults(
    int redirectStatus, boolean hsts, String hstsValue, List<String> noRedirectLocations) {

  /**
   * The built-in defaults: 308, HSTS for a year with subdomains, ACME challenges not redirected.
   */
  public static final HttpsDefaults BUILT_IN = of(ControllerConfig.DEFAULTS);

  public HttpsDefaults {
    requireNonNull(hstsValue, "hstsValue");
    noRedirectLocations = List.copyOf(noRedirectLocations);
  }

  /** The HTTPS settings of {@code config}. */
  public static HttpsDefaults of(ControllerConfig config) {
    return new HttpsDefaults(
        config.get(ConfigKeys.HTTP_REDIRECT_CODE),
        config.get(ConfigKeys.HSTS),
        StrictTransportSecurityPolicy.value(
            config.get(ConfigKeys.HSTS_MAX_AGE),
            config.get(ConfigKeys.HSTS_INCLUDE_SUBDOMAINS),
            config.get(ConfigKeys.HSTS_PRELOAD)),
        config.get(ConfigKeys.NO_TLS_REDIRECT_LOCATIONS));
  }

  /**
   * The policy of one rule.
   *
   * @param redirect whether its Ingress asks plain HTTP to be redirected on this rule
   * @param tlsHost whether the rule's host is one of its Ingress's TLS hosts
   * @param path the rule's path: one that starts with an entry of {@code no-tls-redirect-locations}
   *     is never redirected (ingress-nginx compares the text, so {@code /public} covers {@code
   *     /publications})
   */
  public HttpsPolicy policy(boolean redirect, boolean tlsHost, PathMatch path) {
    boolean redirects = redirect && !exempt(path.path());
    boolean strict = tlsHost && hsts;
    if (!redirects && !strict) {
      return HttpsPolicy.NONE;
    }
    HttpsPolicy policy = new HttpsPolicy(redirects, strict, redirectStatus, hstsValue);
    // The shared constants, when they are what is asked: their policies are built once.
    if (policy.equals(HttpsPolicy.REDIRECT_AND_HSTS)) {
      return HttpsPolicy.REDIRECT_AND_HSTS;
    }
    return policy;
  }

  private boolean exempt(String rulePath) {
    for (String location : noRedirectLocations) {
      if (rulePath.startsWith(location)) {
        return true;
      }
    }
    return false;
  }
}
