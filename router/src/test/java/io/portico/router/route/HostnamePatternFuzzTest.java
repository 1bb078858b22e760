package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Fuzzes the host rules: {@link HostnamePattern#of} for rule hosts, {@link
 * HostnamePattern#normalizeRequestHost} for request hosts, and the table's host lookup, which
 * hashes slices of the request host rather than calling {@link HostnamePattern#matches} (see
 * docs/security.md, "Fuzzing").
 *
 * <p>The input is the rule host (UTF-8, as written in an object), a newline, then the request host
 * as it arrives: bytes the HTTP decoder reads as characters 0-255.
 */
class HostnamePatternFuzzTest {

  @FuzzTest(maxDuration = "3m")
  void hostsMatchOneLabelWildcardsAndExactNames(byte[] input) {
    int newline = indexOf(input, (byte) '\n');
    String ruleHost =
        new String(input, 0, newline < 0 ? input.length : newline, StandardCharsets.UTF_8);
    String requestHost =
        newline < 0
            ? ""
            : new String(
                input, newline + 1, input.length - newline - 1, StandardCharsets.ISO_8859_1);

    String host = HostnamePattern.normalizeRequestHost(requestHost);
    assertNormalRequestHost(requestHost, host);

    HostnamePattern pattern;
    try {
      pattern = HostnamePattern.of(ruleHost);
    } catch (IllegalArgumentException e) {
      assertTrue(ruleHost.contains("*"), () -> "refused " + ruleHost + ": " + e.getMessage());
      return;
    }
    assertPattern(ruleHost, pattern);
    boolean matches = pattern.matches(host);
    switch (pattern.kind()) {
      case ANY -> assertTrue(matches);
      case EXACT -> assertEquals(pattern.value().equals(host), matches, host);
      case WILDCARD -> {
        String domain = pattern.wildcardDomain();
        boolean oneLabelMore =
            host.endsWith("." + domain)
                && host.length() > domain.length() + 1
                && host.substring(0, host.length() - domain.length() - 1).indexOf('.') < 0;
        assertEquals(oneLabelMore, matches, () -> pattern + " for " + host);
        assertFalse(pattern.matches(domain), () -> pattern + " matched its apex");
        assertFalse(pattern.matches("a.b." + domain), () -> pattern + " matched two labels");
      }
    }

    // The table's lookup picks the pattern exactly when the pattern matches, whatever the host.
    Route route =
        new Route(
            pattern,
            PathMatch.prefix("/"),
            Backend.of(new BackendId("fuzz", "svc", "80"), List.of(Endpoint.of("10.0.0.1", 80))),
            new RouteOrigin("fuzz", "host"));
    RouteTableBuilder builder = RouteTable.builder();
    builder.add(route);
    RouteTable table = builder.build();
    RouteTarget target = table.match(host, "/");
    assertEquals(matches, target != null, () -> pattern + " for " + host);
    assertEquals(matches ? pattern : HostnamePattern.any(), table.hostFor(host));
  }

  private static void assertNormalRequestHost(String raw, String host) {
    String withoutDot = raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw;
    assertEquals(withoutDot.length(), host.length(), () -> raw + " -> " + host);
    assertTrue(withoutDot.equalsIgnoreCase(host), () -> raw + " -> " + host);
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      assertFalse(c >= 'A' && c <= 'Z', () -> "upper case left in " + host);
    }
  }

  private static void assertPattern(String ruleHost, HostnamePattern pattern) {
    if (ruleHost.isEmpty()) {
      assertEquals(HostnamePattern.Kind.ANY, pattern.kind());
      return;
    }
    String lower = ruleHost.toLowerCase(Locale.ROOT);
    assertEquals(lower, pattern.value());
    if (pattern.kind() == HostnamePattern.Kind.WILDCARD) {
      assertTrue(lower.startsWith("*.") && lower.length() > 2, lower);
      assertEquals(-1, pattern.wildcardDomain().indexOf('*'), lower);
    } else {
      assertEquals(HostnamePattern.Kind.EXACT, pattern.kind());
      assertEquals(-1, lower.indexOf('*'), lower);
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
