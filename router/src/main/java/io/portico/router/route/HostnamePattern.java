package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The host of an Ingress rule: an exact name ({@code app.test}), a one-label wildcard ({@code
 * *.example.com}, which matches {@code a.example.com} but neither {@code example.com} nor {@code
 * a.b.example.com}), or any host (a rule without a host).
 *
 * <p>Names are compared case-insensitively; patterns are stored lower-case.
 */
public record HostnamePattern(Kind kind, String value) implements Comparable<HostnamePattern> {

  /** What a pattern matches. The declaration order is the lookup precedence. */
  public enum Kind {
    EXACT,
    WILDCARD,
    ANY
  }

  private static final HostnamePattern ANY = new HostnamePattern(Kind.ANY, "*");

  public HostnamePattern {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
  }

  /**
   * Parses an Ingress rule host. {@code null} or empty means any host.
   *
   * @throws IllegalArgumentException for a {@code *} anywhere but as the whole first label
   */
  public static HostnamePattern of(@Nullable String host) {
    if (host == null || host.isEmpty()) {
      return ANY;
    }
    String lower = host.toLowerCase(Locale.ROOT);
    if (lower.startsWith("*.")) {
      String suffix = lower.substring(2);
      if (suffix.isEmpty() || suffix.indexOf('*') >= 0) {
        throw new IllegalArgumentException(
            "host: " + host + " (expected: a wildcard only as the whole first label)");
      }
      return new HostnamePattern(Kind.WILDCARD, lower);
    }
    if (lower.indexOf('*') >= 0) {
      throw new IllegalArgumentException(
          "host: " + host + " (expected: a wildcard only as the whole first label)");
    }
    return new HostnamePattern(Kind.EXACT, lower);
  }

  /** The pattern of rules without a host. */
  public static HostnamePattern any() {
    return ANY;
  }

  /** For a wildcard, the domain below the wildcard label ({@code example.com}); else empty. */
  public String wildcardDomain() {
    return kind == Kind.WILDCARD ? value.substring(2) : "";
  }

  /** Whether a normalised request host (see {@link #normalizeRequestHost}) matches. */
  public boolean matches(String requestHost) {
    return switch (kind) {
      case ANY -> true;
      case EXACT -> value.equals(requestHost);
      case WILDCARD -> wildcardDomain().equals(parentDomain(requestHost));
    };
  }

  /**
   * The domain below the first label, for one-label wildcard lookup: {@code a.example.com} gives
   * {@code example.com}; a single label gives the empty string (no wildcard can match it).
   */
  public static String parentDomain(String host) {
    int dot = host.indexOf('.');
    return dot <= 0 ? "" : host.substring(dot + 1);
  }

  /**
   * Normalises the host of a request for lookup: lower-case, port already removed by the caller,
   * one trailing dot removed ({@code app.test.} is {@code app.test}). Returns the empty string for
   * {@code null} (a request without a host only matches rules without a host).
   */
  public static String normalizeRequestHost(@Nullable String host) {
    if (host == null || host.isEmpty()) {
      return "";
    }
    String h = host;
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return h.toLowerCase(Locale.ROOT);
      }
    }
    return h;
  }

  @Override
  public int compareTo(HostnamePattern other) {
    int byKind = kind.compareTo(other.kind);
    return byKind != 0 ? byKind : value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
