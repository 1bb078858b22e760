package io.portico.controller.translate;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.portico.controller.config.ConfigKey;
import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.ControllerConfig;
import io.portico.controller.config.HttpsDefaults;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.PathMatch;
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
 *   <li>A rule whose path starts with an entry of the ConfigMap's {@code no-tls-redirect-locations}
 *       (by default {@code /.well-known/acme-challenge}) is never redirected.
 * </ul>
 *
 * Only the Ingress's own {@code spec.tls} counts: another Ingress listing the same host cannot make
 * this one's rules redirect. Both annotations are read under {@code portico.io/} and {@code
 * nginx.ingress.kubernetes.io/}; where neither is set, the controller ConfigMap's key of the same
 * name decides, else the built-in default. A value that does not read is a warning and that default
 * applies. The ConfigMap also gives the redirect status ({@code http-redirect-code}) and the HSTS
 * value ({@code hsts}, {@code hsts-max-age}, {@code hsts-include-subdomains}, {@code
 * hsts-preload}).
 */
final class IngressHttps {

  /** An Ingress without TLS hosts or a forced redirect: nothing to do. */
  static final IngressHttps NONE = new IngressHttps(Set.of(), true, false, HttpsDefaults.BUILT_IN);

  private final Set<String> tlsHosts;
  private final boolean sslRedirect;
  private final boolean forceSslRedirect;
  private final HttpsDefaults defaults;

  private IngressHttps(
      Set<String> tlsHosts, boolean sslRedirect, boolean forceSslRedirect, HttpsDefaults defaults) {
    this.tlsHosts = tlsHosts;
    this.sslRedirect = sslRedirect;
    this.forceSslRedirect = forceSslRedirect;
    this.defaults = defaults;
  }

  /**
   * Reads an Ingress's TLS hosts and annotations, with the defaults of {@code config}.
   *
   * @param warn receives (reason, message) for each invalid annotation value
   */
  static IngressHttps of(
      Ingress ingress, ControllerConfig config, BiConsumer<String, String> warn) {
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
    boolean redirect = flag(annotations, ConfigKeys.SSL_REDIRECT, config, warn);
    boolean force = flag(annotations, ConfigKeys.FORCE_SSL_REDIRECT, config, warn);
    if (hosts.isEmpty() && !force) {
      return NONE;
    }
    return new IngressHttps(Set.copyOf(hosts), redirect, force, HttpsDefaults.of(config));
  }

  /** The policy of this Ingress's rule (or default backend) for {@code host} and {@code path}. */
  HttpsPolicy policy(HostnamePattern host, PathMatch path) {
    boolean tlsHost = isTlsHost(host);
    return defaults.policy(forceSslRedirect || (tlsHost && sslRedirect), tlsHost, path);
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

  /**
   * The annotation of the key's name when set, else the config's value (the ConfigMap's, else the
   * built-in default).
   */
  private static boolean flag(
      IngressAnnotations annotations,
      ConfigKey<Boolean> key,
      ControllerConfig config,
      BiConsumer<String, String> warn) {
    boolean fallback = config.get(key);
    Optional<String> value = annotations.get(key.name());
    if (value.isEmpty()) {
      return fallback;
    }
    Optional<Boolean> read = key.parse(value.get());
    if (read.isPresent()) {
      return read.get();
    }
    warn.accept(
        "InvalidAnnotation",
        annotations.keyOf(key.name())
            + ": \""
            + value.get()
            + "\" (expected: \"true\" or \"false\"); "
            + fallback
            + " applies");
    return fallback;
  }

  private static String normalize(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
