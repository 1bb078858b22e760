package io.portico.controller.gateway;

import java.util.regex.Pattern;

/**
 * The string formats of the Gateway API CRDs (their OpenAPI patterns), which manifests mode checks
 * itself because no API server does it there. These are fixed patterns of the specification, so the
 * JDK's engine is safe for them; patterns users write are compiled with RE2/J instead.
 */
final class Formats {

  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String SUBDOMAIN = LABEL + "(\\." + LABEL + ")*";

  /** Listener and route hostnames: a lower-case name, or one whose first label is {@code *}. */
  static final Pattern HOSTNAME = Pattern.compile("(\\*\\.)?" + SUBDOMAIN);

  /** Redirect and rewrite hostnames: no wildcard. */
  static final Pattern PRECISE_HOSTNAME = Pattern.compile(SUBDOMAIN);

  /** Object names, listener and rule names, section names: a DNS subdomain. */
  static final Pattern NAME = Pattern.compile(SUBDOMAIN);

  /** Namespaces: a DNS label. */
  static final Pattern NAMESPACE = Pattern.compile(LABEL);

  /** API groups: empty (the core group) or a DNS subdomain. */
  static final Pattern GROUP = Pattern.compile("|" + SUBDOMAIN);

  static final Pattern KIND = Pattern.compile("[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?");

  /** Header and query parameter names: an HTTP token. */
  static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+");

  /** Durations ({@code 500ms}, {@code 1h30m}): up to four number-unit parts. */
  static final Pattern DURATION = Pattern.compile("([0-9]{1,5}(h|m|s|ms)){1,4}");

  static final Pattern DURATION_PART = Pattern.compile("([0-9]{1,5})(h|ms|m|s)");

  static final Pattern CONTROLLER_NAME =
      Pattern.compile(SUBDOMAIN + "/[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+");

  /** Listener protocols: a core name ({@code HTTP}) or {@code domain/Name}. */
  static final Pattern PROTOCOL =
      Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?|" + SUBDOMAIN + "/[A-Za-z0-9]+");

  /** Address types: the three of the specification, or {@code domain/Type}. */
  static final Pattern ADDRESS_TYPE =
      Pattern.compile("IPAddress|Hostname|NamedAddress|" + SUBDOMAIN + "/[a-zA-Z0-9]+");

  /** Exact and PathPrefix values: an absolute path of URI characters or percent-escapes. */
  static final Pattern PATH = Pattern.compile("/([-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})*");

  /** CORS origins: {@code *} or {@code http(s)://host[:port]}, host optionally {@code *.}-led. */
  static final Pattern ORIGIN =
      Pattern.compile(
          "\\*|https?://(((\\*\\.)?([a-zA-Z0-9\\-]+\\.)*[a-zA-Z0-9-]+|\\*)(:([0-9]{1,5}))?)");

  /** gRPC service names for Exact matches. */
  static final Pattern GRPC_SERVICE =
      Pattern.compile("(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*");

  /** gRPC method names for Exact matches. */
  static final Pattern GRPC_METHOD = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");

  private Formats() {}

  /**
   * Whether an Exact or PathPrefix value is one the CRD accepts: a path of URI characters without
   * {@code //}, dot segments, encoded slashes or a fragment.
   */
  static boolean isCleanPath(String value) {
    return PATH.matcher(value).matches()
        && !value.contains("//")
        && !value.contains("/./")
        && !value.contains("/../")
        && !value.contains("%2f")
        && !value.contains("%2F")
        && !value.endsWith("/..")
        && !value.endsWith("/.");
  }
}
