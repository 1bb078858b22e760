package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

/**
 * HTTPS responses carry {@code Strict-Transport-Security} when the route's host is one of its
 * Ingress's TLS hosts, unless the listener switches HSTS off. Every response: the backend's,
 * Portico's own errors, a policy's answer. Portico's value replaces one the backend sends, so one
 * Ingress setting decides it (RFC 6797: a browser honours only the first).
 */
public record StrictTransportSecurityPolicy(String value) implements ResponseHeadPolicy {

  /** What HTTPS responses of TLS hosts carry unless configured otherwise: one year, subdomains. */
  public static final String VALUE = "max-age=31536000; includeSubDomains";

  /** The instance routes with the default value share. */
  public static final StrictTransportSecurityPolicy INSTANCE =
      new StrictTransportSecurityPolicy(VALUE);

  /**
   * @param value the header value, e.g. {@code max-age=600; preload}; see {@link #value(long,
   *     boolean, boolean)}
   */
  public StrictTransportSecurityPolicy {
    requireNonNull(value, "value");
    if (!value.startsWith("max-age=") || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(
          "value: \"" + value + "\" (expected: max-age=SECONDS, then directives, on one line)");
    }
  }

  /** The default value, {@link #VALUE}. */
  public StrictTransportSecurityPolicy() {
    this(VALUE);
  }

  /**
   * The header value RFC 6797 defines, written as ingress-nginx writes it: {@code max-age=N[;
   * includeSubDomains][; preload]}.
   */
  public static String value(long maxAgeSeconds, boolean includeSubDomains, boolean preload) {
    if (maxAgeSeconds < 0) {
      throw new IllegalArgumentException("maxAgeSeconds: " + maxAgeSeconds + " (expected: >= 0)");
    }
    return "max-age="
        + maxAgeSeconds
        + (includeSubDomains ? "; includeSubDomains" : "")
        + (preload ? "; preload" : "");
  }

  private static final String NAME = "strict-transport-security";

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.HEADERS;
  }

  @Override
  public void editResponseHead(PolicyRequest request, ResponseHead head) {
    if (request.tls() && request.listener().hsts()) {
      head.set(NAME, value);
    }
  }
}
