package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.ControllerConfig;
import io.portico.router.policy.StrictTransportSecurityPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.PathMatch;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the rules of one Ingress treat plain HTTP and HTTPS, the ingress-nginx way:
 *
 * <ul>
 *   <li>A rule whose host is one of the Ingress's own {@code spec.tls[].hosts} (or is covered by a
 *       {@code *.} wildcard listed there) is a TLS rule: plain HTTP gets a redirect to HTTPS, and
 *       HTTPS responses carry HSTS. This holds whether or not the Secret is usable: the host is
 *       then served with the default certificate, never silently over plain HTTP.
 *   <li>{@code sslRedirect} false keeps serving plain HTTP on the TLS rules (HSTS stays).
 *   <li>{@code forceSslRedirect} redirects every rule of the Ingress, TLS or not, for TLS
 *       terminated in front of Portico.
 *   <li>A rule whose path starts with an entry of {@code noRedirectLocations} is never redirected.
 * </ul>
 *
 * Only the Ingress's own {@code spec.tls} counts: another Ingress listing the same host cannot make
 * this one's rules redirect. The controller ConfigMap gives the redirect status, the HSTS header
 * and the paths never redirected ({@link #of(Set, boolean, boolean, ControllerConfig)}).
 *
 * @param tlsHosts the Ingress's TLS hosts, lower case, without a trailing dot
 * @param sslRedirect whether TLS rules redirect plain HTTP ({@code ssl-redirect})
 * @param forceSslRedirect whether every rule redirects plain HTTP ({@code force-ssl-redirect})
 * @param redirectStatus the status of the redirect: 301, 302, 307 or 308 ({@code
 *     http-redirect-code})
 * @param hsts whether HTTPS responses of TLS rules carry {@code Strict-Transport-Security} ({@code
 *     hsts})
 * @param hstsValue that header's value ({@code hsts-max-age}, {@code hsts-include-subdomains},
 *     {@code hsts-preload})
 * @param noRedirectLocations path prefixes whose rules never redirect ({@code
 *     no-tls-redirect-locations})
 * @param preserveTrailingSlash the redirect keeps a trailing slash ({@code
 *     preserve-trailing-slash}); by default it leaves one out, as ingress-nginx does
 */
public record HttpsRule(
    Set<String> tlsHosts,
    boolean sslRedirect,
    boolean forceSslRedirect,
    int redirectStatus,
    boolean hsts,
    String hstsValue,
    List<String> noRedirectLocations,
    boolean preserveTrailingSlash) {

  /**
   * An Ingress without TLS hosts or a forced redirect: every rule gets {@link HttpsPolicy#NONE}.
   */
  public static final HttpsRule NONE =
      withConfig(Set.of(), true, false, false, ControllerConfig.DEFAULTS);

  public HttpsRule {
    tlsHosts = Set.copyOf(requireNonNull(tlsHosts, "tlsHosts"));
    requireNonNull(hstsValue, "hstsValue");
    noRedirectLocations = List.copyOf(noRedirectLocations);
  }

  /**
   * The rule for these TLS hosts and switches, with the redirect status, HSTS header and exempt
   * paths of {@code config}; {@link #NONE} when it can change nothing.
   */
  public static HttpsRule of(
      Set<String> tlsHosts,
      boolean sslRedirect,
      boolean forceSslRedirect,
      ControllerConfig config) {
    return of(tlsHosts, sslRedirect, forceSslRedirect, false, config);
  }

  /**
   * As {@link #of(Set, boolean, boolean, ControllerConfig)}, with {@code preserve-trailing-slash}.
   */
  public static HttpsRule of(
      Set<String> tlsHosts,
      boolean sslRedirect,
      boolean forceSslRedirect,
      boolean preserveTrailingSlash,
      ControllerConfig config) {
    if (tlsHosts.isEmpty() && !forceSslRedirect) {
      return NONE;
    }
    return withConfig(tlsHosts, sslRedirect, forceSslRedirect, preserveTrailingSlash, config);
  }

  private static HttpsRule withConfig(
      Set<String> tlsHosts,
      boolean sslRedirect,
      boolean forceSslRedirect,
      boolean preserveTrailingSlash,
      ControllerConfig config) {
    return new HttpsRule(
        tlsHosts,
        sslRedirect,
        forceSslRedirect,
        config.get(ConfigKeys.HTTP_REDIRECT_CODE),
        config.get(ConfigKeys.HSTS),
        StrictTransportSecurityPolicy.value(
            config.get(ConfigKeys.HSTS_MAX_AGE),
            config.get(ConfigKeys.HSTS_INCLUDE_SUBDOMAINS),
            config.get(ConfigKeys.HSTS_PRELOAD)),
        config.get(ConfigKeys.NO_TLS_REDIRECT_LOCATIONS),
        preserveTrailingSlash);
  }

  /**
   * The policy of this Ingress's rule (or default backend) for {@code host} and {@code path}. A
   * path that starts with an entry of {@code noRedirectLocations} is never redirected
   * (ingress-nginx compares the text, so {@code /public} covers {@code /publications}).
   */
  public HttpsPolicy policy(HostnamePattern host, PathMatch path) {
    boolean tlsHost = isTlsHost(host);
    boolean redirect = (forceSslRedirect || (tlsHost && sslRedirect)) && !exempt(path.path());
    boolean strict = tlsHost && hsts;
    if (!redirect && !strict) {
      return HttpsPolicy.NONE;
    }
    HttpsPolicy policy =
        new HttpsPolicy(redirect, strict, redirectStatus, hstsValue, preserveTrailingSlash);
    // The shared constant, when it is what is asked: its request policies are built once.
    return policy.equals(HttpsPolicy.REDIRECT_AND_HSTS) ? HttpsPolicy.REDIRECT_AND_HSTS : policy;
  }

  /** A host of {@code spec.tls} as this rule compares it: lower case, no trailing dot. */
  public static String normalize(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  private boolean exempt(String rulePath) {
    for (String location : noRedirectLocations) {
      if (rulePath.startsWith(location)) {
        return true;
      }
    }
    return false;
  }

  private boolean isTlsHost(HostnamePattern host) {
    String name = normalize(host.value());
    return switch (host.kind()) {
      case ANY -> false;
      case WILDCARD -> tlsHosts.contains(name);
      case EXACT -> {
        String parent = HostnamePattern.parentDomain(name);
        yield tlsHosts.contains(name) || (!parent.isEmpty() && tlsHosts.contains("*." + parent));
      }
    };
  }
}
