package io.portico.controller.annotations;

import static io.portico.controller.annotations.Category.ACCESS;
import static io.portico.controller.annotations.Category.AFFINITY;
import static io.portico.controller.annotations.Category.CANARY;
import static io.portico.controller.annotations.Category.MIRROR;
import static io.portico.controller.annotations.Category.OBSERVABILITY;
import static io.portico.controller.annotations.Category.OTHER;
import static io.portico.controller.annotations.Category.PROTECTION;
import static io.portico.controller.annotations.Category.ROUTING;
import static io.portico.controller.annotations.Category.SNIPPET;
import static io.portico.controller.annotations.Category.TLS;
import static io.portico.controller.annotations.Category.UPSTREAM;
import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every annotation ingress-nginx v1.15.1 reads under {@code nginx.ingress.kubernetes.io/} (136
 * names and the aliases {@code whitelist-source-range} and {@code limit-whitelist}), the four
 * {@code global-rate-limit*} annotations of v1.11 (removed in v1.12, honoured here), and what
 * Portico does with it: {@link Fate#HONOURED} by a family (under {@code portico.io/} too), {@link
 * Fate#IGNORED} with the reason, or {@link Fate#REFUSED} with the reason.
 *
 * <p>Fail closed: an annotation of a category that {@linkplain Category#refusesWhenNotHonoured()
 * refuses when not honoured} cannot be ignored; the table refuses to load otherwise. A refused
 * annotation may name values that ask for nothing ({@code enable-modsecurity: "false"}): with one
 * of those it is ignored instead.
 *
 * <p>One line per annotation, sorted by name, so that marking annotations honoured in parallel
 * merges line by line. {@code docs/annotations.md} is checked against this table by a test.
 */
public final class AnnotationCatalogue {

  /** One annotation, without its prefix. */
  public record Entry(String name, Category category, Fate fate, String note, Set<String> inert) {

    public Entry {
      requireNonNull(name, "name");
      requireNonNull(category, "category");
      requireNonNull(fate, "fate");
      requireNonNull(note, "note");
      inert = Set.copyOf(inert);
    }

    /** The family that reads it; empty unless honoured. */
    public Optional<String> family() {
      return fate == Fate.HONOURED ? Optional.of(note) : Optional.empty();
    }

    /** Why it is ignored or refused; empty when honoured. */
    public Optional<String> reason() {
      return fate == Fate.HONOURED ? Optional.empty() : Optional.of(note);
    }

    /**
     * Whether {@code value} (trimmed, as written) asks for nothing, so that a refused annotation is
     * only ignored.
     */
    public boolean inert(String value) {
      return inert.contains(value);
    }

    /** The same entry, ignored instead of refused when its value is one of {@code values}. */
    Entry unless(String... values) {
      return new Entry(name, category, fate, note, Set.of(values));
    }
  }

  // Why annotations are ignored or refused, shared by the entries of one feature.
  private static final String WAF =
      "Portico has no web application firewall: served without it, requests would not be"
          + " inspected";
  private static final String SNIPPETS =
      "holds nginx configuration text, which Portico never interprets";
  private static final String BUFFERING =
      "Portico streams bodies in both directions and needs no nginx buffer settings";
  private static final String COOKIE_REWRITES =
      "Set-Cookie rewriting is not supported: cookies reach the client as the backend sets them";
  private static final String LOCATION_REWRITES =
      "Location rewriting is not supported: redirects reach the client as the backend sends them";
  private static final String HASHING =
      "consistent hashing is not supported yet: load-balance (or round_robin) applies";
  private static final String CLIENT_TLS =
      "per-host TLS settings are not supported: the listener's (docs/tls.md) apply";
  private static final String FASTCGI = "FastCGI backends are not supported";
  private static final String TRACING = "tracing is not supported yet";
  private static final String LOGS = "Portico's access log is controller-wide (--access-log)";

  // Values of switches that ask for nothing, spelled as ingress-nginx reads them (Go's ParseBool).
  private static final String[] GO_FALSE = {"0", "f", "F", "false", "FALSE", "False"};

  private static final List<Entry> ENTRIES =
      List.of(
          honoured("affinity", AFFINITY, AffinityFamily.NAME),
          honoured("affinity-canary-behavior", CANARY, CanaryFamily.NAME),
          honoured("affinity-mode", AFFINITY, AffinityFamily.NAME),
          honoured("allowlist-source-range", ACCESS, SourceRangeFamily.NAME),
          honoured("app-root", ROUTING, RedirectFamily.NAME),
          honoured("auth-always-set-cookie", ACCESS, ExternalAuthFamily.NAME),
          honoured("auth-cache-duration", ACCESS, ExternalAuthFamily.NAME),
          honoured("auth-cache-key", ACCESS, ExternalAuthFamily.NAME),
          honoured("auth-keepalive", ACCESS, ExternalAuthFamily.NAME),
          honoured("auth-keepalive-requests", ACCESS, ExternalAuthFamily.NAME),
          honoured("auth-keepalive-share-vars", ACCESS, ExternalAuthFamily.NAME),
          honoured("auth-keepalive-timeout", ACCESS, ExternalAuthFamily.NAME),
          honoured("auth-method", ACCESS, ExternalAuthFamily.NAME),
          honoured("auth-proxy-set-headers", ACCESS, ExternalAuthFamily.NAME),
          honoured("auth-realm", ACCESS, BasicAuthFamily.NAME),
          honoured("auth-request-redirect", ACCESS, ExternalAuthFamily.NAME),
          honoured("auth-response-headers", ACCESS, ExternalAuthFamily.NAME),
          honoured("auth-secret", ACCESS, BasicAuthFamily.NAME),
          honoured("auth-secret-type", ACCESS, BasicAuthFamily.NAME),
          honoured("auth-signin", ACCESS, ExternalAuthFamily.NAME),
          honoured("auth-signin-redirect-param", ACCESS, ExternalAuthFamily.NAME),
          refused("auth-snippet", SNIPPET, SNIPPETS),
          honoured("auth-tls-error-page", ACCESS, ClientCertificateFamily.NAME),
          honoured("auth-tls-match-cn", ACCESS, ClientCertificateFamily.NAME),
          honoured("auth-tls-pass-certificate-to-upstream", ACCESS, ClientCertificateFamily.NAME),
          honoured("auth-tls-secret", ACCESS, ClientCertificateFamily.NAME),
          honoured("auth-tls-verify-client", ACCESS, ClientCertificateFamily.NAME),
          honoured("auth-tls-verify-depth", ACCESS, ClientCertificateFamily.NAME),
          honoured("auth-type", ACCESS, BasicAuthFamily.NAME),
          honoured("auth-url", ACCESS, ExternalAuthFamily.NAME),
          honoured("backend-protocol", UPSTREAM, UpstreamFamily.NAME),
          honoured("canary", CANARY, CanaryFamily.NAME),
          honoured("canary-by-cookie", CANARY, CanaryFamily.NAME),
          honoured("canary-by-header", CANARY, CanaryFamily.NAME),
          honoured("canary-by-header-pattern", CANARY, CanaryFamily.NAME),
          honoured("canary-by-header-value", CANARY, CanaryFamily.NAME),
          honoured("canary-weight", CANARY, CanaryFamily.NAME),
          honoured("canary-weight-total", CANARY, CanaryFamily.NAME),
          ignored("client-body-buffer-size", UPSTREAM, BUFFERING),
          refused("configuration-snippet", SNIPPET, SNIPPETS),
          honoured("connection-proxy-header", UPSTREAM, UpstreamFamily.NAME),
          honoured("cors-allow-credentials", ROUTING, CorsFamily.NAME),
          honoured("cors-allow-headers", ROUTING, CorsFamily.NAME),
          honoured("cors-allow-methods", ROUTING, CorsFamily.NAME),
          honoured("cors-allow-origin", ROUTING, CorsFamily.NAME),
          honoured("cors-expose-headers", ROUTING, CorsFamily.NAME),
          honoured("cors-max-age", ROUTING, CorsFamily.NAME),
          honoured("custom-headers", ROUTING, CustomHeadersFamily.NAME),
          honoured("custom-http-errors", ROUTING, ErrorPagesFamily.NAME),
          honoured("default-backend", ROUTING, ErrorPagesFamily.NAME),
          honoured("denylist-source-range", ACCESS, SourceRangeFamily.NAME),
          honoured("disable-proxy-intercept-errors", ROUTING, ErrorPagesFamily.NAME),
          ignored("enable-access-log", OBSERVABILITY, LOGS),
          honoured("enable-cors", ROUTING, CorsFamily.NAME),
          honoured("enable-global-auth", ACCESS, ExternalAuthFamily.NAME),
          refused("enable-modsecurity", PROTECTION, WAF).unless(GO_FALSE),
          ignored("enable-opentelemetry", OBSERVABILITY, TRACING),
          refused("enable-owasp-core-rules", PROTECTION, WAF).unless(GO_FALSE),
          ignored("enable-rewrite-log", OBSERVABILITY, LOGS),
          ignored("fastcgi-index", UPSTREAM, FASTCGI),
          ignored("fastcgi-params-configmap", UPSTREAM, FASTCGI),
          honoured("force-ssl-redirect", TLS, HttpsFamily.NAME),
          honoured("from-to-www-redirect", ROUTING, RedirectFamily.NAME),
          honoured("global-rate-limit", PROTECTION, GlobalRateLimitFamily.NAME),
          honoured("global-rate-limit-ignored-cidrs", PROTECTION, GlobalRateLimitFamily.NAME),
          honoured("global-rate-limit-key", PROTECTION, GlobalRateLimitFamily.NAME),
          honoured("global-rate-limit-window", PROTECTION, GlobalRateLimitFamily.NAME),
          ignored("http2-push-preload", OTHER, "HTTP/2 server push is obsolete: nginx dropped it"),
          honoured("limit-allowlist", PROTECTION, RateLimitFamily.NAME),
          honoured("limit-burst-multiplier", PROTECTION, RateLimitFamily.NAME),
          honoured("limit-connections", PROTECTION, RateLimitFamily.NAME),
          honoured("limit-rate", PROTECTION, UpstreamFamily.NAME),
          honoured("limit-rate-after", PROTECTION, UpstreamFamily.NAME),
          honoured("limit-rpm", PROTECTION, RateLimitFamily.NAME),
          honoured("limit-rps", PROTECTION, RateLimitFamily.NAME),
          honoured("limit-whitelist", PROTECTION, RateLimitFamily.NAME),
          honoured("load-balance", UPSTREAM, AffinityFamily.NAME),
          honoured("mirror-host", MIRROR, MirrorFamily.NAME),
          honoured("mirror-request-body", MIRROR, MirrorFamily.NAME),
          honoured("mirror-target", MIRROR, MirrorFamily.NAME),
          refused("modsecurity-snippet", SNIPPET, SNIPPETS),
          refused("modsecurity-transaction-id", PROTECTION, WAF),
          ignored("opentelemetry-operation-name", OBSERVABILITY, TRACING),
          ignored("opentelemetry-trust-incoming-span", OBSERVABILITY, TRACING),
          honoured("permanent-redirect", ROUTING, RedirectFamily.NAME),
          honoured("permanent-redirect-code", ROUTING, RedirectFamily.NAME),
          honoured("preserve-trailing-slash", TLS, HttpsFamily.NAME),
          honoured("proxy-body-size", PROTECTION, UpstreamFamily.NAME),
          honoured("proxy-buffer-size", UPSTREAM, UpstreamFamily.NAME),
          ignored("proxy-buffering", UPSTREAM, BUFFERING),
          ignored("proxy-buffers-number", UPSTREAM, BUFFERING),
          ignored("proxy-busy-buffers-size", UPSTREAM, BUFFERING),
          honoured("proxy-connect-timeout", UPSTREAM, UpstreamFamily.NAME),
          ignored("proxy-cookie-domain", UPSTREAM, COOKIE_REWRITES),
          ignored("proxy-cookie-path", UPSTREAM, COOKIE_REWRITES),
          honoured("proxy-http-version", UPSTREAM, UpstreamFamily.NAME),
          ignored("proxy-max-temp-file-size", UPSTREAM, BUFFERING),
          honoured("proxy-next-upstream", UPSTREAM, UpstreamFamily.NAME),
          honoured("proxy-next-upstream-timeout", UPSTREAM, UpstreamFamily.NAME),
          honoured("proxy-next-upstream-tries", UPSTREAM, UpstreamFamily.NAME),
          honoured("proxy-read-timeout", UPSTREAM, UpstreamFamily.NAME),
          ignored("proxy-redirect-from", UPSTREAM, LOCATION_REWRITES),
          ignored("proxy-redirect-to", UPSTREAM, LOCATION_REWRITES),
          ignored("proxy-request-buffering", UPSTREAM, BUFFERING),
          honoured("proxy-send-timeout", UPSTREAM, UpstreamFamily.NAME),
          honoured("proxy-ssl-ciphers", TLS, ProxySslFamily.NAME),
          honoured("proxy-ssl-name", TLS, ProxySslFamily.NAME),
          honoured("proxy-ssl-protocols", TLS, ProxySslFamily.NAME),
          honoured("proxy-ssl-secret", TLS, ProxySslFamily.NAME),
          honoured("proxy-ssl-server-name", TLS, ProxySslFamily.NAME),
          honoured("proxy-ssl-verify", TLS, ProxySslFamily.NAME),
          honoured("proxy-ssl-verify-depth", TLS, ProxySslFamily.NAME),
          ignored("relative-redirects", ROUTING, "Portico's redirects carry absolute URLs"),
          honoured("rewrite-target", ROUTING, RewriteFamily.NAME),
          honoured("satisfy", ACCESS, SatisfyFamily.NAME),
          honoured("server-alias", ROUTING, ServerAliasFamily.NAME),
          refused("server-snippet", SNIPPET, SNIPPETS),
          honoured("service-upstream", UPSTREAM, ServiceUpstreamFamily.NAME),
          honoured("session-cookie-change-on-failure", AFFINITY, AffinityFamily.NAME),
          honoured("session-cookie-conditional-samesite-none", AFFINITY, AffinityFamily.NAME),
          honoured("session-cookie-domain", AFFINITY, AffinityFamily.NAME),
          honoured("session-cookie-expires", AFFINITY, AffinityFamily.NAME),
          honoured("session-cookie-max-age", AFFINITY, AffinityFamily.NAME),
          honoured("session-cookie-name", AFFINITY, AffinityFamily.NAME),
          honoured("session-cookie-path", AFFINITY, AffinityFamily.NAME),
          honoured("session-cookie-samesite", AFFINITY, AffinityFamily.NAME),
          honoured("session-cookie-secure", AFFINITY, AffinityFamily.NAME),
          ignored("ssl-ciphers", TLS, CLIENT_TLS),
          ignored("ssl-passthrough", TLS, "TLS passthrough is not supported"),
          ignored("ssl-prefer-server-ciphers", TLS, CLIENT_TLS),
          honoured("ssl-redirect", TLS, HttpsFamily.NAME),
          refused("stream-snippet", SNIPPET, SNIPPETS),
          honoured("temporal-redirect", ROUTING, RedirectFamily.NAME),
          honoured("temporal-redirect-code", ROUTING, RedirectFamily.NAME),
          ignored("upstream-hash-by", UPSTREAM, HASHING),
          ignored("upstream-hash-by-subset", UPSTREAM, HASHING),
          ignored("upstream-hash-by-subset-size", UPSTREAM, HASHING),
          honoured("upstream-vhost", ROUTING, UpstreamVhostFamily.NAME),
          ignored(
              "use-port-in-redirects", ROUTING, "HTTPS redirects name the port as Portico does"),
          honoured("use-regex", ROUTING, RewriteFamily.NAME),
          honoured("whitelist-source-range", ACCESS, SourceRangeFamily.NAME),
          honoured("x-forwarded-prefix", ROUTING, RewriteFamily.NAME));

  private static final Map<String, Entry> BY_NAME = index(ENTRIES);

  private AnnotationCatalogue() {}

  /** Every entry, sorted by name. */
  public static List<Entry> entries() {
    return ENTRIES;
  }

  /** The entry of an annotation name (without prefix); empty when ingress-nginx has none. */
  public static Optional<Entry> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  private static Entry honoured(String name, Category category, String family) {
    return new Entry(name, category, Fate.HONOURED, family, Set.of());
  }

  private static Entry ignored(String name, Category category, String reason) {
    return new Entry(name, category, Fate.IGNORED, reason, Set.of());
  }

  private static Entry refused(String name, Category category, String reason) {
    return new Entry(name, category, Fate.REFUSED, reason, Set.of());
  }

  /** Checks the rules of the table once, when it loads. */
  private static Map<String, Entry> index(List<Entry> entries) {
    Map<String, Entry> byName = new HashMap<>();
    String previous = "";
    for (Entry entry : entries) {
      if (entry.name().compareTo(previous) <= 0) {
        throw new IllegalStateException(
            "annotation catalogue: " + entry.name() + " (expected: after " + previous + ")");
      }
      if (entry.fate() == Fate.IGNORED && entry.category().refusesWhenNotHonoured()) {
        throw new IllegalStateException(
            "annotation catalogue: "
                + entry.name()
                + " is "
                + entry.category()
                + " (expected: honoured or refused, never ignored)");
      }
      byName.put(entry.name(), entry);
      previous = entry.name();
    }
    return Map.copyOf(byName);
  }
}
