package io.portico.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fuzzes certificate selection by SNI: names come from Ingress objects, server names from any
 * client (see docs/security.md, "Fuzzing").
 *
 * <p>The input is text: one host name or wildcard per line to register, each with one of four pairs
 * in turn, and the client's server name last.
 */
class CertificateSetFuzzTest {

  private static final TlsKeyPair DEFAULT = Fixtures.ec("ingress.local");
  private static final List<TlsKeyPair> POOL =
      List.of(Fixtures.ec("a.test"), Fixtures.ec("b.test"), Fixtures.ec("c.test"));
  private static final int MAX_NAMES = 32;

  /**
   * A name is registered exactly when {@link CertificateSet#isValidName} says it can be, and
   * otherwise refused with {@link IllegalArgumentException}. Selection never throws and never
   * returns {@code null}; it gives the pair of the exact name when one is registered, else a pair
   * registered under a name that covers the server name (the name itself or a one-label wildcard
   * above it), else the default pair.
   */
  @FuzzTest(maxDuration = "3m")
  void selectionGivesTheExactThenTheWildcardThenTheDefault(byte[] input) {
    String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", -1);
    CertificateSet.Builder builder = CertificateSet.builder(DEFAULT);
    Map<String, TlsKeyPair> registered = new LinkedHashMap<>();
    for (int i = 0; i < lines.length - 1 && i < MAX_NAMES; i++) {
      String name = lines[i];
      TlsKeyPair pair = POOL.get(i % POOL.size());
      boolean valid = CertificateSet.isValidName(name);
      try {
        boolean taken = builder.add(name, pair);
        assertTrue(valid, () -> "registered an invalid name: " + name);
        String normal = normalize(name);
        assertEquals(!registered.containsKey(normal), taken, name);
        registered.putIfAbsent(normal, pair);
      } catch (IllegalArgumentException e) {
        assertTrue(!valid, () -> "refused a valid name: " + name);
      }
    }
    CertificateSet set = builder.build();
    assertEquals(registered.size(), set.size());

    String serverName = lines[lines.length - 1];
    TlsKeyPair selected = set.select(serverName);
    assertNotNull(selected);
    String normal = normalize(serverName);
    if (registered.containsKey(normal)) {
      assertSame(registered.get(normal), selected, serverName);
      return;
    }
    if (selected == DEFAULT) {
      // Nothing but a wildcard may cover the name now; then the wildcard must have been chosen,
      // unless the name is an IP address, which RFC 6066 keeps out of SNI.
      int dot = normal.indexOf('.');
      String wildcard = dot > 0 ? "*" + normal.substring(dot) : null;
      assertTrue(
          wildcard == null || !registered.containsKey(wildcard) || HostNames.isIpLiteral(normal),
          () -> serverName + " got the default though " + wildcard + " is registered");
      return;
    }
    boolean covered =
        registered.entrySet().stream()
            .anyMatch(
                e -> e.getValue() == selected && e.getKey().startsWith("*.") && covers(e, normal));
    assertTrue(covered, () -> serverName + " got a pair no registered name covers");
  }

  private static boolean covers(Map.Entry<String, TlsKeyPair> entry, String name) {
    String domain = entry.getKey().substring(1);
    int dot = name.indexOf('.');
    return dot > 0 && name.substring(dot).equals(domain);
  }

  /** Lower case, one trailing dot removed: how names compare in TLS. */
  private static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
