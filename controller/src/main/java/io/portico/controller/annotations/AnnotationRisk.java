package io.portico.controller.annotations;

import static io.portico.controller.config.ConfigKeys.RiskLevel.CRITICAL;
import static io.portico.controller.config.ConfigKeys.RiskLevel.HIGH;
import static io.portico.controller.config.ConfigKeys.RiskLevel.LOW;
import static io.portico.controller.config.ConfigKeys.RiskLevel.MEDIUM;

import io.portico.controller.config.ConfigKeys.RiskLevel;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The risk ingress-nginx v1.15.1 gives each annotation of the {@link AnnotationCatalogue} (the
 * {@code Risk} of its parser's declaration; an alias has the risk of its annotation; the {@code
 * global-rate-limit*} annotations have the risks of v1.11, their last release). An Ingress carrying
 * an annotation riskier than the controller ConfigMap's {@code annotations-risk-level} is refused,
 * as ingress-nginx refuses it.
 *
 * <p>Kept apart from the catalogue so that the catalogue's lines change only with an annotation's
 * fate. One line per annotation, sorted by name; a test checks both tables name the same
 * annotations.
 */
public final class AnnotationRisk {

  private static final Map<String, RiskLevel> RISKS =
      table(
          risk("affinity", LOW),
          risk("affinity-canary-behavior", LOW),
          risk("affinity-mode", MEDIUM),
          risk("allowlist-source-range", MEDIUM),
          risk("app-root", MEDIUM),
          risk("auth-always-set-cookie", LOW),
          risk("auth-cache-duration", MEDIUM),
          risk("auth-cache-key", MEDIUM),
          risk("auth-keepalive", LOW),
          risk("auth-keepalive-requests", LOW),
          risk("auth-keepalive-share-vars", LOW),
          risk("auth-keepalive-timeout", LOW),
          risk("auth-method", LOW),
          risk("auth-proxy-set-headers", MEDIUM),
          risk("auth-realm", MEDIUM),
          risk("auth-request-redirect", MEDIUM),
          risk("auth-response-headers", MEDIUM),
          risk("auth-secret", MEDIUM),
          risk("auth-secret-type", LOW),
          risk("auth-signin", HIGH),
          risk("auth-signin-redirect-param", MEDIUM),
          risk("auth-snippet", CRITICAL),
          risk("auth-tls-error-page", HIGH),
          risk("auth-tls-match-cn", HIGH),
          risk("auth-tls-pass-certificate-to-upstream", LOW),
          risk("auth-tls-secret", MEDIUM),
          risk("auth-tls-verify-client", MEDIUM),
          risk("auth-tls-verify-depth", LOW),
          risk("auth-type", LOW),
          risk("auth-url", HIGH),
          risk("backend-protocol", LOW),
          risk("canary", LOW),
          risk("canary-by-cookie", MEDIUM),
          risk("canary-by-header", MEDIUM),
          risk("canary-by-header-pattern", MEDIUM),
          risk("canary-by-header-value", MEDIUM),
          risk("canary-weight", LOW),
          risk("canary-weight-total", LOW),
          risk("client-body-buffer-size", LOW),
          risk("configuration-snippet", CRITICAL),
          risk("connection-proxy-header", LOW),
          risk("cors-allow-credentials", LOW),
          risk("cors-allow-headers", MEDIUM),
          risk("cors-allow-methods", MEDIUM),
          risk("cors-allow-origin", MEDIUM),
          risk("cors-expose-headers", MEDIUM),
          risk("cors-max-age", LOW),
          risk("custom-headers", MEDIUM),
          risk("custom-http-errors", LOW),
          risk("default-backend", LOW),
          risk("denylist-source-range", MEDIUM),
          risk("disable-proxy-intercept-errors", LOW),
          risk("enable-access-log", LOW),
          risk("enable-cors", LOW),
          risk("enable-global-auth", LOW),
          risk("enable-modsecurity", LOW),
          risk("enable-opentelemetry", LOW),
          risk("enable-owasp-core-rules", LOW),
          risk("enable-rewrite-log", LOW),
          risk("fastcgi-index", MEDIUM),
          risk("fastcgi-params-configmap", MEDIUM),
          risk("force-ssl-redirect", MEDIUM),
          risk("from-to-www-redirect", LOW),
          risk("global-rate-limit", LOW),
          risk("global-rate-limit-ignored-cidrs", MEDIUM),
          risk("global-rate-limit-key", HIGH),
          risk("global-rate-limit-window", LOW),
          risk("http2-push-preload", LOW),
          risk("limit-allowlist", LOW),
          risk("limit-burst-multiplier", LOW),
          risk("limit-connections", LOW),
          risk("limit-rate", LOW),
          risk("limit-rate-after", LOW),
          risk("limit-rpm", LOW),
          risk("limit-rps", LOW),
          risk("limit-whitelist", LOW),
          risk("load-balance", LOW),
          risk("mirror-host", HIGH),
          risk("mirror-request-body", LOW),
          risk("mirror-target", HIGH),
          risk("modsecurity-snippet", CRITICAL),
          risk("modsecurity-transaction-id", HIGH),
          risk("opentelemetry-operation-name", MEDIUM),
          risk("opentelemetry-trust-incoming-span", LOW),
          risk("permanent-redirect", MEDIUM),
          risk("permanent-redirect-code", LOW),
          risk("preserve-trailing-slash", MEDIUM),
          risk("proxy-body-size", MEDIUM),
          risk("proxy-buffer-size", LOW),
          risk("proxy-buffering", LOW),
          risk("proxy-buffers-number", LOW),
          risk("proxy-busy-buffers-size", LOW),
          risk("proxy-connect-timeout", LOW),
          risk("proxy-cookie-domain", MEDIUM),
          risk("proxy-cookie-path", MEDIUM),
          risk("proxy-http-version", LOW),
          risk("proxy-max-temp-file-size", LOW),
          risk("proxy-next-upstream", MEDIUM),
          risk("proxy-next-upstream-timeout", LOW),
          risk("proxy-next-upstream-tries", LOW),
          risk("proxy-read-timeout", LOW),
          risk("proxy-redirect-from", MEDIUM),
          risk("proxy-redirect-to", MEDIUM),
          risk("proxy-request-buffering", LOW),
          risk("proxy-send-timeout", LOW),
          risk("proxy-ssl-ciphers", MEDIUM),
          risk("proxy-ssl-name", HIGH),
          risk("proxy-ssl-protocols", LOW),
          risk("proxy-ssl-secret", MEDIUM),
          risk("proxy-ssl-server-name", LOW),
          risk("proxy-ssl-verify", LOW),
          risk("proxy-ssl-verify-depth", LOW),
          risk("relative-redirects", LOW),
          risk("rewrite-target", MEDIUM),
          risk("satisfy", LOW),
          risk("server-alias", HIGH),
          risk("server-snippet", CRITICAL),
          risk("service-upstream", LOW),
          risk("session-cookie-change-on-failure", LOW),
          risk("session-cookie-conditional-samesite-none", LOW),
          risk("session-cookie-domain", MEDIUM),
          risk("session-cookie-expires", MEDIUM),
          risk("session-cookie-max-age", MEDIUM),
          risk("session-cookie-name", MEDIUM),
          risk("session-cookie-path", MEDIUM),
          risk("session-cookie-samesite", LOW),
          risk("session-cookie-secure", LOW),
          risk("ssl-ciphers", LOW),
          risk("ssl-passthrough", LOW),
          risk("ssl-prefer-server-ciphers", LOW),
          risk("ssl-redirect", LOW),
          risk("stream-snippet", CRITICAL),
          risk("temporal-redirect", MEDIUM),
          risk("temporal-redirect-code", LOW),
          risk("upstream-hash-by", HIGH),
          risk("upstream-hash-by-subset", LOW),
          risk("upstream-hash-by-subset-size", LOW),
          risk("upstream-vhost", LOW),
          risk("use-port-in-redirects", LOW),
          risk("use-regex", LOW),
          risk("whitelist-source-range", MEDIUM),
          risk("x-forwarded-prefix", MEDIUM));

  private AnnotationRisk() {}

  /** The risk of an annotation name (without prefix); empty when ingress-nginx has none. */
  public static Optional<RiskLevel> of(String name) {
    return Optional.ofNullable(RISKS.get(name));
  }

  /** Every annotation with its risk, sorted by name. */
  public static Map<String, RiskLevel> all() {
    return RISKS;
  }

  private static Map.Entry<String, RiskLevel> risk(String name, RiskLevel risk) {
    return Map.entry(name, risk);
  }

  /** Checks the order once, when the table loads. */
  @SafeVarargs
  private static Map<String, RiskLevel> table(Map.Entry<String, RiskLevel>... entries) {
    Map<String, RiskLevel> risks = new TreeMap<>();
    String previous = "";
    for (Map.Entry<String, RiskLevel> entry : entries) {
      if (entry.getKey().compareTo(previous) <= 0) {
        throw new IllegalStateException(
            "annotation risks: " + entry.getKey() + " (expected: after " + previous + ")");
      }
      risks.put(entry.getKey(), entry.getValue());
      previous = entry.getKey();
    }
    return Collections.unmodifiableMap(risks);
  }
}
