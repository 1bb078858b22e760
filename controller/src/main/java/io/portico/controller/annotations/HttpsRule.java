package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import java.util.Locale;
import java.util.Set;

/**
 * How the rules of one Ingress treat plain HTTP and HTTPS, the ingress-nginx way:
 *
 * <ul>
 *   <li>A rule whose host is one of the Ingress's own {@code spec.tls[].hosts} (or is covered by a
 *       {@code *.} wildcard listed there) is a TLS rule: plain HTTP gets a 308 to HTTPS, and HTTPS
 *       responses carry HSTS. This holds whether or not the Secret is usable: the host is then
 *       served with the default certificate, never silently over plain HTTP.
 *   <li>{@code sslRedirect} false keeps serving plain HTTP on the TLS rules (HSTS stays).
 *   <li>{@code forceSslRedirect} redirects every rule of the Ingress, TLS or not, for TLS
 *       terminated in front of Portico.
 * </ul>
 *
 * Only the Ingress's own {@code spec.tls} counts: another Ingress listing the same host cannot make
 * this one's rules redirect.
 *
 * @param tlsHosts the Ingress's TLS hosts, lower case, without a trailing dot
 * @param preserveTrailingSlash {@code preserve-trailing-slash}: the redirect keeps a trailing slash
 */
public record HttpsRule(
    Set<String> tlsHosts,
    boolean sslRedirect,
    boolean forceSslRedirect,
    boolean preserveTrailingSlash) {

  /**
   * An Ingress without TLS hosts or a forced redirect: every rule gets {@link HttpsPolicy#NONE}.
   */
  public static final HttpsRule NONE = new HttpsRule(Set.of(), true, false, false);

  public HttpsRule {
    tlsHosts = Set.copyOf(requireNonNull(tlsHosts, "tlsHosts"));
  }

  /** The rule for these TLS hosts and switches; {@link #NONE} when it can change nothing. */
  public static HttpsRule of(Set<String> tlsHosts, boolean sslRedirect, boolean forceSslRedirect) {
    return of(tlsHosts, sslRedirect, forceSslRedirect, false);
  }

  /** The rule for these TLS hosts and switches; {@link #NONE} when it can change nothing. */
  public static HttpsRule of(
      Set<String> tlsHosts,
      boolean sslRedirect,
      boolean forceSslRedirect,
      boolean preserveTrailingSlash) {
    if (tlsHosts.isEmpty() && !forceSslRedirect) {
      return NONE;
    }
    return new HttpsRule(tlsHosts, sslRedirect, forceSslRedirect, preserveTrailingSlash);
  }

  /** The policy of this Ingress's rules (and default backends) for {@code host}. */
  public HttpsPolicy policy(HostnamePattern host) {
    boolean tlsHost = isTlsHost(host);
    boolean redirect = forceSslRedirect || (tlsHost && sslRedirect);
    if (redirect && tlsHost && !preserveTrailingSlash) {
      return HttpsPolicy.REDIRECT_AND_HSTS;
    }
    return redirect || tlsHost
        ? new HttpsPolicy(redirect, tlsHost, preserveTrailingSlash)
        : HttpsPolicy.NONE;
  }

  /** A host of {@code spec.tls} as this rule compares it: lower case, no trailing dot. */
  public static String normalize(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
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
