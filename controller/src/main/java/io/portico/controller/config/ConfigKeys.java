package io.portico.controller.config;

import static io.portico.controller.config.ConfigKey.Applies.AT_START;
import static io.portico.controller.config.ConfigKey.Applies.LIVE;
import static io.portico.controller.config.ConfigKey.Support.DECLARED;
import static io.portico.controller.config.ConfigKey.Support.HONOURED;
import static io.portico.controller.config.ConfigKey.Support.REPORTED;

import io.portico.router.address.CidrSet;
import io.portico.router.balance.LoadBalancing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Every key of the controller ConfigMap Portico reads, declared once, sorted by name, one per line.
 * Names, syntax and defaults are ingress-nginx's (its {@code config/config.go}), so a ConfigMap
 * moves over unchanged. {@code docs/configmap.md} describes each; a test keeps the two in step.
 *
 * <p>{@link ConfigKey.Support#DECLARED} keys are read and checked but have no effect yet; the issue
 * that brings their feature gives them one (and changes their line here).
 */
public final class ConfigKeys {

  /** An HTTP header name (RFC 9110 token). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

  /** A path prefix: starts with {@code /}, no spaces or control characters. */
  private static final Pattern PATH_PREFIX = Pattern.compile("/[\\x21-\\x7e]*");

  private static final Pattern ON_OFF = Pattern.compile("on|off");

  /** A host name, an IPv4 address or an IPv6 address, or nothing. */
  private static final Pattern HOST =
      Pattern.compile("|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

  private static final Pattern ANY_TEXT = Pattern.compile("(?s).*");

  /** A ConfigMap reference, {@code namespace/name}, or nothing. */
  private static final Pattern CONFIG_MAP_REFERENCE =
      Pattern.compile("|[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?");

  /** A header name as ingress-nginx's {@code custom-headers} accepts it. */
  private static final Pattern CUSTOM_HEADER_NAME = Pattern.compile("[A-Za-z0-9_-]+");

  private static final Pattern NEXT_UPSTREAM =
      Pattern.compile(
          "(?:error|timeout|invalid_header|http_50[0234]|http_40[34]|http_429|non_idempotent|off)"
              + "(?:\\s+(?:error|timeout|invalid_header|http_50[0234]|http_40[34]|http_429"
              + "|non_idempotent|off))*");

  private static final List<ConfigKey<?>> ALL = new ArrayList<>();

  /** ingress-nginx's annotation risk levels, lowest first; see {@link #ANNOTATIONS_RISK_LEVEL}. */
  public enum RiskLevel {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** As ingress-nginx writes it: {@code Critical}, {@code High}, ... */
    public String spelling() {
      String lower = name().toLowerCase(Locale.ROOT);
      return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
  }

  // Sorted by name, one key per declaration.

  public static final ConfigKey<String> ADD_HEADERS =
      add(
          ConfigKey.text(
              "add-headers",
              "",
              CONFIG_MAP_REFERENCE,
              "namespace/name of a ConfigMap",
              LIVE,
              HONOURED));

  /** Whether {@code auth-secret} may name a Secret in another namespace than its Ingress's. */
  public static final ConfigKey<Boolean> ALLOW_CROSS_NAMESPACE_RESOURCES =
      add(ConfigKey.flag("allow-cross-namespace-resources", false, LIVE, HONOURED));

  public static final ConfigKey<Boolean> ALLOW_SNIPPET_ANNOTATIONS =
      add(ConfigKey.flag("allow-snippet-annotations", false, LIVE, REPORTED));

  /**
   * An Ingress carrying an annotation whose {@linkplain
   * io.portico.controller.annotations.AnnotationRisk risk} is above this level is refused. A value
   * that does not read is {@code Low}, the strictest, as ingress-nginx reads it: a mistyped level
   * must not serve what the intended one refused.
   */
  public static final ConfigKey<RiskLevel> ANNOTATIONS_RISK_LEVEL =
      add(
          ConfigKey.choice(
                  "annotations-risk-level", RiskLevel.HIGH, RiskLevel::spelling, LIVE, HONOURED)
              .whenInvalid(RiskLevel.LOW, RiskLevel.LOW.spelling()));

  /**
   * nginx's {@code client_header_buffer_size}: the first buffer of a request head. Portico reads a
   * head into what it needs, so it has no such buffer; {@link #LARGE_CLIENT_HEADER_BUFFERS} limits.
   */
  public static final ConfigKey<Long> CLIENT_HEADER_BUFFER_SIZE =
      add(ConfigKey.size("client-header-buffer-size", "1k", AT_START, DECLARED));

  public static final ConfigKey<Boolean> COMPUTE_FULL_FORWARDED_FOR =
      add(ConfigKey.flag("compute-full-forwarded-for", false, AT_START, HONOURED));

  public static final ConfigKey<List<Integer>> CUSTOM_HTTP_ERRORS =
      add(ConfigKey.statusList("custom-http-errors", 300, 599, LIVE, HONOURED));

  /** The global deny list, for Ingresses without {@code denylist-source-range}. */
  public static final ConfigKey<SourceRanges> DENYLIST_SOURCE_RANGE =
      add(sourceRanges("denylist-source-range"));

  /**
   * OCSP stapling: certificates that name an OCSP responder get their status fetched and stapled to
   * handshakes (OpenSSL engine only). Read at start: it decides how the TLS contexts are built.
   */
  public static final ConfigKey<Boolean> ENABLE_OCSP =
      add(ConfigKey.flag("enable-ocsp", false, AT_START, HONOURED));

  public static final ConfigKey<Boolean> ENABLE_REAL_IP =
      add(ConfigKey.flag("enable-real-ip", false, AT_START, HONOURED));

  public static final ConfigKey<Boolean> FORCE_SSL_REDIRECT =
      add(ConfigKey.flag("force-ssl-redirect", false, LIVE, HONOURED));

  public static final ConfigKey<String> FORWARDED_FOR_HEADER =
      add(
          ConfigKey.text(
              "forwarded-for-header",
              "X-Forwarded-For",
              HEADER_NAME,
              "an HTTP header name",
              AT_START,
              HONOURED));

  public static final ConfigKey<List<String>> GLOBAL_ALLOWED_RESPONSE_HEADERS =
      add(
          ConfigKey.list(
              "global-allowed-response-headers",
              List.of(),
              CUSTOM_HEADER_NAME,
              "comma-separated header names (letters, digits, - and _)",
              LIVE,
              HONOURED));

  public static final ConfigKey<Boolean> GLOBAL_AUTH_ALWAYS_SET_COOKIE =
      add(ConfigKey.flag("global-auth-always-set-cookie", false, LIVE, HONOURED));

  public static final ConfigKey<String> GLOBAL_AUTH_CACHE_DURATION =
      add(
          globalAuth(
              "global-auth-cache-duration",
              "200 202 401 5m",
              "status codes then a duration, e.g. 200 202 401 5m"));

  public static final ConfigKey<String> GLOBAL_AUTH_CACHE_KEY =
      add(
          globalAuth(
              "global-auth-cache-key",
              "",
              "nginx variables and letters, e.g. $remote_user$http_authorization"));

  public static final ConfigKey<String> GLOBAL_AUTH_METHOD =
      add(globalAuth("global-auth-method", "", "an HTTP method, e.g. GET"));

  public static final ConfigKey<String> GLOBAL_AUTH_REQUEST_REDIRECT =
      add(globalAuth("global-auth-request-redirect", "", "a URL, which may name nginx variables"));

  public static final ConfigKey<String> GLOBAL_AUTH_RESPONSE_HEADERS =
      add(globalAuth("global-auth-response-headers", "", "comma-separated header names"));

  public static final ConfigKey<String> GLOBAL_AUTH_SIGNIN =
      add(
          globalAuth(
              "global-auth-signin", "", "an absolute http(s) URL, which may name nginx variables"));

  public static final ConfigKey<String> GLOBAL_AUTH_SIGNIN_REDIRECT_PARAM =
      add(globalAuth("global-auth-signin-redirect-param", "", "a query parameter name, e.g. rd"));

  /**
   * The external auth service of every Ingress that sets no {@code auth-url} and does not turn
   * {@code enable-global-auth} off; empty: none. The {@code global-auth-*} keys are read as text
   * here and checked where they apply, so that a bad value closes the routes it guards rather than
   * falling back to no authentication.
   */
  public static final ConfigKey<String> GLOBAL_AUTH_URL =
      add(
          globalAuth(
              "global-auth-url", "", "an absolute http(s) URL, which may name nginx variables"));

  /** Milliseconds to connect to memcached, and to wait for each of its answers. */
  public static final ConfigKey<Integer> GLOBAL_RATE_LIMIT_MEMCACHED_CONNECT_TIMEOUT =
      add(
          ConfigKey.integer(
              "global-rate-limit-memcached-connect-timeout", 50, 1, 60_000, LIVE, HONOURED));

  /** Where global rate limits are counted; empty (the default) turns them off. */
  public static final ConfigKey<String> GLOBAL_RATE_LIMIT_MEMCACHED_HOST =
      add(
          ConfigKey.text(
              "global-rate-limit-memcached-host",
              "",
              HOST,
              "a host name or an IP address",
              LIVE,
              HONOURED));

  /** Milliseconds an idle memcached connection is kept; 0 keeps it. */
  public static final ConfigKey<Integer> GLOBAL_RATE_LIMIT_MEMCACHED_MAX_IDLE_TIMEOUT =
      add(
          ConfigKey.integer(
              "global-rate-limit-memcached-max-idle-timeout",
              10_000,
              0,
              3_600_000,
              LIVE,
              HONOURED));

  /** The most memcached connections per event loop. */
  public static final ConfigKey<Integer> GLOBAL_RATE_LIMIT_MEMCACHED_POOL_SIZE =
      add(
          ConfigKey.integer(
              "global-rate-limit-memcached-pool-size", 50, 1, 10_000, LIVE, HONOURED));

  /** memcached's port; 0 turns global rate limits off, as in ingress-nginx. */
  public static final ConfigKey<Integer> GLOBAL_RATE_LIMIT_MEMCACHED_PORT =
      add(ConfigKey.integer("global-rate-limit-memcached-port", 11211, 0, 65535, LIVE, HONOURED));

  public static final ConfigKey<Integer> GLOBAL_RATE_LIMIT_STATUS_CODE =
      add(ConfigKey.integer("global-rate-limit-status-code", 429, 200, 599, LIVE, HONOURED));

  public static final ConfigKey<Boolean> HSTS = add(ConfigKey.flag("hsts", true, LIVE, HONOURED));

  public static final ConfigKey<Boolean> HSTS_INCLUDE_SUBDOMAINS =
      add(ConfigKey.flag("hsts-include-subdomains", true, LIVE, HONOURED));

  public static final ConfigKey<Integer> HSTS_MAX_AGE =
      add(ConfigKey.integer("hsts-max-age", 31_536_000, 0, 999_999_999, LIVE, HONOURED));

  public static final ConfigKey<Boolean> HSTS_PRELOAD =
      add(ConfigKey.flag("hsts-preload", false, LIVE, HONOURED));

  public static final ConfigKey<Integer> HTTP_REDIRECT_CODE =
      add(ConfigKey.oneOf("http-redirect-code", 308, Set.of(301, 302, 307, 308), LIVE, HONOURED));

  /** The longest request line and the largest request head (see {@link HeaderBuffers}). */
  public static final ConfigKey<HeaderBuffers> LARGE_CLIENT_HEADER_BUFFERS =
      add(
          ConfigKey.of(
              "large-client-header-buffers",
              HeaderBuffers.DEFAULT,
              HeaderBuffers.DEFAULT.toString(),
              HeaderBuffers::parse,
              HeaderBuffers.EXPECTED,
              AT_START,
              HONOURED));

  public static final ConfigKey<Integer> LIMIT_CONN_STATUS_CODE =
      add(ConfigKey.integer("limit-conn-status-code", 503, 200, 599, LIVE, HONOURED));

  public static final ConfigKey<Integer> LIMIT_REQ_STATUS_CODE =
      add(ConfigKey.integer("limit-req-status-code", 503, 200, 599, LIVE, HONOURED));

  public static final ConfigKey<LoadBalancing> LOAD_BALANCE =
      add(
          ConfigKey.of(
              "load-balance",
              LoadBalancing.ROUND_ROBIN,
              "round_robin",
              ConfigKeys::loadBalancing,
              "round_robin, least_request, random or ewma",
              LIVE,
              HONOURED));

  /** Paths whose rules external auth leaves alone: those whose rule path starts with one. */
  public static final ConfigKey<List<String>> NO_AUTH_LOCATIONS =
      add(
          ConfigKey.list(
              "no-auth-locations",
              List.of("/.well-known/acme-challenge"),
              PATH_PREFIX,
              "comma-separated path prefixes",
              LIVE,
              HONOURED));

  public static final ConfigKey<List<String>> NO_TLS_REDIRECT_LOCATIONS =
      add(
          ConfigKey.list(
              "no-tls-redirect-locations",
              List.of("/.well-known/acme-challenge"),
              PATH_PREFIX,
              "comma-separated paths, each starting with /",
              LIVE,
              HONOURED));

  public static final ConfigKey<Boolean> PRESERVE_TRAILING_SLASH =
      add(ConfigKey.flag("preserve-trailing-slash", false, LIVE, HONOURED));

  public static final ConfigKey<Long> PROXY_BODY_SIZE =
      add(ConfigKey.size("proxy-body-size", "1m", LIVE, HONOURED));

  public static final ConfigKey<Long> PROXY_BUFFER_SIZE =
      add(ConfigKey.size("proxy-buffer-size", "32k", LIVE, HONOURED));

  public static final ConfigKey<String> PROXY_BUFFERING =
      add(ConfigKey.text("proxy-buffering", "off", ON_OFF, "on or off", LIVE, DECLARED));

  public static final ConfigKey<Duration> PROXY_CONNECT_TIMEOUT =
      add(ConfigKey.seconds("proxy-connect-timeout", 5, LIVE, HONOURED));

  public static final ConfigKey<String> PROXY_HTTP_VERSION =
      add(
          ConfigKey.text(
              "proxy-http-version",
              "1.1",
              Pattern.compile("1\\.[01]"),
              "1.0 or 1.1",
              LIVE,
              HONOURED));

  public static final ConfigKey<String> PROXY_NEXT_UPSTREAM =
      add(
          ConfigKey.text(
              "proxy-next-upstream",
              "error timeout",
              NEXT_UPSTREAM,
              "nginx's proxy_next_upstream words, e.g. error timeout http_502",
              LIVE,
              HONOURED));

  public static final ConfigKey<Duration> PROXY_NEXT_UPSTREAM_TIMEOUT =
      add(ConfigKey.seconds("proxy-next-upstream-timeout", 0, LIVE, HONOURED));

  public static final ConfigKey<Integer> PROXY_NEXT_UPSTREAM_TRIES =
      add(ConfigKey.integer("proxy-next-upstream-tries", 3, 0, 100, LIVE, HONOURED));

  /** How long a connection has to send its PROXY header, with {@link #USE_PROXY_PROTOCOL}. */
  public static final ConfigKey<Duration> PROXY_PROTOCOL_HEADER_TIMEOUT =
      add(ConfigKey.goDuration("proxy-protocol-header-timeout", "5s", AT_START, HONOURED));

  public static final ConfigKey<Duration> PROXY_READ_TIMEOUT =
      add(ConfigKey.seconds("proxy-read-timeout", 60, LIVE, HONOURED));

  /**
   * The peers whose forwarding headers are read. Unlike ingress-nginx, whose default {@code
   * 0.0.0.0/0} lets any client choose its address, empty by default: nothing is trusted.
   */
  public static final ConfigKey<CidrSet> PROXY_REAL_IP_CIDR =
      add(cidrs("proxy-real-ip-cidr", AT_START));

  public static final ConfigKey<String> PROXY_REQUEST_BUFFERING =
      add(ConfigKey.text("proxy-request-buffering", "on", ON_OFF, "on or off", LIVE, DECLARED));

  public static final ConfigKey<Duration> PROXY_SEND_TIMEOUT =
      add(ConfigKey.seconds("proxy-send-timeout", 60, LIVE, HONOURED));

  public static final ConfigKey<Boolean> SERVICE_UPSTREAM =
      add(ConfigKey.flag("service-upstream", false, LIVE, HONOURED));

  public static final ConfigKey<Boolean> SSL_REDIRECT =
      add(ConfigKey.flag("ssl-redirect", true, LIVE, HONOURED));

  public static final ConfigKey<Boolean> USE_FORWARDED_HEADERS =
      add(ConfigKey.flag("use-forwarded-headers", false, AT_START, HONOURED));

  /**
   * Every listener requires a PROXY protocol header (v1 or v2); its source address is the client's
   * only from a load balancer in {@code proxy-real-ip-cidr}. A listener option, so at start.
   */
  public static final ConfigKey<Boolean> USE_PROXY_PROTOCOL =
      add(ConfigKey.flag("use-proxy-protocol", false, AT_START, HONOURED));

  /** The global allow list, for Ingresses without {@code allowlist-source-range}. */
  public static final ConfigKey<SourceRanges> WHITELIST_SOURCE_RANGE =
      add(sourceRanges("whitelist-source-range"));

  private static final Map<String, ConfigKey<?>> BY_NAME = byName(ALL);

  private ConfigKeys() {}

  /** Every key, sorted by name. */
  public static List<ConfigKey<?>> all() {
    return List.copyOf(ALL);
  }

  /** The key of that name, or empty when Portico does not read it. */
  public static Optional<ConfigKey<?>> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /**
   * ingress-nginx's {@code load-balance} values, and Portico's own: {@code ewma} favours the
   * endpoint answering fastest; {@code least_request} is the load-aware policy Portico has, and
   * needs no latency history that a new generation would lose.
   */
  public static Optional<LoadBalancing> loadBalancing(String text) {
    String wanted = text.strip().toLowerCase(Locale.ROOT);
    if (wanted.equals("ewma")) {
      return Optional.of(LoadBalancing.LEAST_REQUEST);
    }
    for (LoadBalancing policy : LoadBalancing.values()) {
      if (policy.annotationValue().equals(wanted)) {
        return Optional.of(policy);
      }
    }
    return Optional.empty();
  }

  /** A comma-separated list of IPv4 and IPv6 addresses and CIDR blocks, empty by default. */
  private static ConfigKey<CidrSet> cidrs(String name, ConfigKey.Applies applies) {
    return ConfigKey.of(
        name,
        CidrSet.EMPTY,
        "",
        ConfigKeys::readCidrs,
        "comma-separated IPv4 or IPv6 addresses or CIDR blocks, e.g. 10.0.0.0/8,2001:db8::/32",
        applies,
        HONOURED);
  }

  /**
   * A list of source ranges that keeps an invalid value as such (see {@link SourceRanges}), so that
   * the routes using it are refused rather than opened.
   */
  private static ConfigKey<SourceRanges> sourceRanges(String name) {
    return ConfigKey.of(
        name,
        SourceRanges.NONE,
        "",
        SourceRanges::read,
        "comma-separated IPv4 or IPv6 addresses or CIDR blocks, e.g. 10.0.0.0/8,2001:db8::/32",
        LIVE,
        HONOURED);
  }

  /** A list of CIDR blocks, or empty when one entry is not a block. */
  public static Optional<CidrSet> readCidrs(String text) {
    try {
      return Optional.of(CidrSet.parseList(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A {@code global-auth-*} key: any text reads, and the external auth family checks it. */
  private static ConfigKey<String> globalAuth(String name, String defaultValue, String expected) {
    return ConfigKey.text(name, defaultValue, ANY_TEXT, expected, LIVE, HONOURED);
  }

  private static <T> ConfigKey<T> add(ConfigKey<T> key) {
    ALL.add(key);
    return key;
  }

  private static Map<String, ConfigKey<?>> byName(List<ConfigKey<?>> keys) {
    Map<String, ConfigKey<?>> map = new TreeMap<>();
    for (ConfigKey<?> key : keys) {
      if (map.put(key.name(), key) != null) {
        throw new IllegalStateException("key declared twice: " + key.name());
      }
    }
    return Map.copyOf(map);
  }
}
