package io.portico.tls;

import java.util.Locale;
import org.bouncycastle.util.IPAddress;
import org.jspecify.annotations.Nullable;

/**
 * The host-name rules shared by SNI selection, findings and certgen, in one place.
 *
 * <p>A pattern is a DNS name ({@code app.example.com}) or a one-label wildcard ({@code
 * *.example.com}), which matches exactly one extra leading label: {@code a.example.com}, never
 * {@code example.com} nor {@code a.b.example.com} (RFC 6125 section 6.4.3, as browsers apply it).
 */
final class HostNames {

  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  private HostNames() {}

  /** Lower-cases (ASCII rules) and strips one trailing dot, as SNI and Host comparisons need. */
  static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /** Whether {@code text} is an IPv4 or IPv6 literal (no DNS lookup is ever made). */
  static boolean isIpLiteral(String text) {
    String bare =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    return IPAddress.isValid(bare);
  }

  /**
   * The wildcard pattern that would cover {@code name}: {@code a.example.com -> *.example.com}, or
   * {@code null} when {@code name} has a single label.
   */
  static @Nullable String wildcardOf(String name) {
    int dot = name.indexOf('.');
    if (dot <= 0 || dot == name.length() - 1) {
      return null;
    }
    return "*" + name.substring(dot);
  }

  /**
   * Whether the certificate name {@code san} covers the host {@code host}, both normalized. A host
   * that is itself a wildcard is covered only by the same wildcard.
   */
  static boolean covers(String san, String host) {
    if (san.equals(host)) {
      return true;
    }
    if (!san.startsWith("*.") || host.startsWith("*.")) {
      return false;
    }
    String wildcard = wildcardOf(host);
    return san.equals(wildcard);
  }

  /**
   * What is wrong with {@code name} as a DNS name or {@code *.} wildcard (RFC 1123 labels), or
   * {@code null} when it is valid. Expects a lower-case name without a trailing dot.
   */
  static @Nullable String problem(String name) {
    if (name.isEmpty()) {
      return "empty (expected: a DNS name such as app.example.com)";
    }
    if (isIpLiteral(name)) {
      return "an IP address (expected: a DNS name; IP addresses go in IP SANs)";
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return "longer than " + MAX_NAME_LENGTH + " characters";
    }
    String rest = name.startsWith("*.") ? name.substring(2) : name;
    if (rest.contains("*")) {
      return "'*' is allowed only as the whole first label, as in *.example.com";
    }
    for (String label : rest.split("\\.", -1)) {
      String labelProblem = labelProblem(label);
      if (labelProblem != null) {
        return labelProblem;
      }
    }
    return null;
  }

  private static @Nullable String labelProblem(String label) {
    if (label.isEmpty()) {
      return "has an empty label (expected: labels separated by single dots)";
    }
    if (label.length() > MAX_LABEL_LENGTH) {
      return "label \"" + label + "\" is longer than " + MAX_LABEL_LENGTH + " characters";
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (!allowed) {
        return "label \""
            + label
            + "\" has characters other than letters, digits and '-' (RFC 1123)";
      }
    }
    if (label.startsWith("-") || label.endsWith("-")) {
      return "label \"" + label + "\" starts or ends with '-' (RFC 1123)";
    }
    return null;
  }
}
