package io.portico.controller.translate;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * How the rules of one Ingress treat plain HTTP and HTTPS, the ingress-nginx way:
 *
 * <ul>
 *   <li>A rule whose host is one of the Ingress's own {@code spec.tls[].hosts} (or is covered by a
 *       {@code *.} wildcard listed there) is a TLS rule: plain HTTP gets a 308 to HTTPS, and HTTPS
 *       responses carry HSTS. This holds whether or not the Secret is usable: the host is then
 *       served with the default certificate, never silently over plain HTTP.
 *   <li>{@code ssl-redirect: "false"} keeps serving plain HTTP on the TLS rules (HSTS stays).
 *   <li>{@code force-ssl-redirect: "true"} redirects every rule of the Ingress, TLS or not, for TLS
 *       terminated in front of Portico.
 * </ul>
 *
 * Only the Ingress's own {@code spec.tls} counts: another Ingress listing the same host cannot make
 * this one's rules redirect. Both annotations are read under {@code portico.io/} and {@code
 * nginx.ingress.kubernetes.io/}; a value other than {@code true} or {@code false} is a warning and
 * the default applies.
 */
final class IngressHttps {

  /** An Ingress without TLS hosts or annotations. */
  static final IngressHttps NONE = new IngressHttps(Set.of(), true, false);

  private final Set<String> tlsHosts;
  private final boolean sslRedirect;
  private final boolean forceSslRedirect;

  private IngressHttps(Set<String> tlsHosts, boolean sslRedirect, boolean forceSslRedirect) {
    this.tlsHosts = tlsHosts;
    this.sslRedirect = sslRedirect;
    this.forceSslRedirect = forceSslRedirect;
  }

  /**
   * Reads an Ingress's TLS hosts and annotations.
   *
   * @param warn receives (reason, message) for each invalid annotation value
   */
  static IngressHttps of(Ingress ingress, BiConsumer<String, String> warn) {
    Set<String> hosts = new HashSet<>();
    List<IngressTLS> tls = ingress.getSpec().getTls();
    if (tls != null) {
      for (IngressTLS entry : tls) {
        if (entry != null && entry.getHosts() != null) {
          for (String host : entry.getHosts()) {
            if (host != null && !host.isBlank()) {
              hosts.add(normalize(host.strip()));
            }
          }
        }
      }
    }
    IngressAnnotations annotations = new IngressAnnotations(ingress);
    boolean redirect = flag(annotations, "ssl-redirect", true, warn);
    boolean force = flag(annotations, "force-ssl-redirect", false, warn);
    if (hosts.isEmpty() && !force) {
      return NONE;
    }
    return new IngressHttps(Set.copyOf(hosts), redirect, force);
  }

  /** The policy of this Ingress's rules (and default backends) for {@code host}. */
  HttpsPolicy policy(HostnamePattern host) {
    boolean tlsHost = isTlsHost(host);
    boolean redirect = forceSslRedirect || (tlsHost && sslRedirect);
    if (redirect && tlsHost) {
      return HttpsPolicy.REDIRECT_AND_HSTS;
    }
    return redirect || tlsHost ? new HttpsPolicy(redirect, tlsHost) : HttpsPolicy.NONE;
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

  private static boolean flag(
      IngressAnnotations annotations,
      String name,
      boolean defaultValue,
      BiConsumer<String, String> warn) {
    Optional<String> value = annotations.get(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    String text = value.get().toLowerCase(Locale.ROOT);
    if (text.equals("true") || text.equals("false")) {
      return text.equals("true");
    }
    warn.accept(
        "InvalidAnnotation",
        annotations.keyOf(name)
            + ": \""
            + value.get()
            + "\" (expected: \"true\" or \"false\"); "
            + defaultValue
            + " applies");
    return defaultValue;
  }

  private static String normalize(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
