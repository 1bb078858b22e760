package io.portico.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertificateSetTest {

  private static final TlsKeyPair DEFAULT = Fixtures.ec("ingress.local");
  private static final TlsKeyPair APP = Fixtures.ec("app.test");
  private static final TlsKeyPair WILDCARD = Fixtures.ec("*.example.com");
  private static final TlsKeyPair EXACT_IN_WILDCARD = Fixtures.ec("www.example.com");

  private static final Map<String, TlsKeyPair> PAIRS =
      Map.of("default", DEFAULT, "app", APP, "wildcard", WILDCARD, "www", EXACT_IN_WILDCARD);

  private static final CertificateSet SET = standardSet();

  private static CertificateSet standardSet() {
    CertificateSet.Builder builder = CertificateSet.builder(DEFAULT);
    builder.add("app.test", APP);
    builder.add("*.example.com", WILDCARD);
    builder.add("www.example.com", EXACT_IN_WILDCARD);
    return builder.build();
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource({
    "app.test,             app",
    "APP.Test,             app",
    "app.test.,            app",
    "a.example.com,        wildcard",
    "A.Example.Com.,       wildcard",
    "www.example.com,      www",
    "a.b.example.com,      default",
    "example.com,          default",
    "unknown.test,         default",
    "test,                 default",
    "'',                   default",
    "127.0.0.1,            default",
    "::1,                  default",
    "app.test..,           default",
  })
  void selects(String serverName, String expected) {
    assertSame(PAIRS.get(expected), SET.select(serverName));
  }

  @Test
  void noSniGetsTheDefault() {
    assertSame(DEFAULT, SET.select(null));
    assertSame(DEFAULT, CertificateSet.of(DEFAULT).select("app.test"));
  }

  @Test
  void explicitNamesBeatSanDerivedOnesInAnyOrder() {
    TlsKeyPair sans = Fixtures.ec("app.test", "*.example.com", "only-in-san.test");

    CertificateSet.Builder sansFirst = CertificateSet.builder(DEFAULT).addFromSans(sans);
    sansFirst.add("app.test", APP);
    CertificateSet.Builder explicitFirst = CertificateSet.builder(DEFAULT);
    explicitFirst.add("app.test", APP);
    explicitFirst.addFromSans(sans);

    for (CertificateSet set : List.of(sansFirst.build(), explicitFirst.build())) {
      assertSame(APP, set.select("app.test"));
      assertSame(sans, set.select("only-in-san.test"));
      assertSame(sans, set.select("x.example.com"));
      assertEquals(Set.of("*.example.com", "app.test", "only-in-san.test"), set.names());
    }
  }

  @Test
  void firstAddWinsAndReportsTheConflict() {
    CertificateSet.Builder builder = CertificateSet.builder(DEFAULT);

    assertTrue(builder.add("app.test", APP));
    assertFalse(builder.add("APP.test.", WILDCARD));
    assertSame(APP, builder.build().select("app.test"));
  }

  @Test
  void firstSanRegistrationWins() {
    TlsKeyPair first = Fixtures.ec("shared.test");
    TlsKeyPair second = Fixtures.ec("shared.test");

    CertificateSet set =
        CertificateSet.builder(DEFAULT).addFromSans(first).addFromSans(second).build();
    assertSame(first, set.select("shared.test"));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource({
    "'',                 'hostOrWildcard: \"\": empty (expected: a DNS name such as app.example.com)'",
    "10.0.0.1,           'hostOrWildcard: \"10.0.0.1\": an IP address (expected: a DNS name; IP addresses go in IP SANs)'",
    "a.*.test,           'hostOrWildcard: \"a.*.test\": ''*'' is allowed only as the whole first label, as in *.example.com'",
    "*,                  'hostOrWildcard: \"*\": ''*'' is allowed only as the whole first label, as in *.example.com'",
    "a_b.test,           'hostOrWildcard: \"a_b.test\": label \"a_b\" has characters other than letters, digits and ''-'' (RFC 1123)'",
  })
  void invalidNamesAreRejected(String name, String message) {
    CertificateSet.Builder builder = CertificateSet.builder(DEFAULT);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> builder.add(name, APP));
    assertEquals(message, e.getMessage());
    assertFalse(CertificateSet.isValidName(name));
  }

  @Test
  void invalidSanPatternsAreSkipped() {
    TlsKeyPair odd = Fixtures.pair("odd-sans.crt", "odd-sans.key");

    CertificateSet set = CertificateSet.builder(DEFAULT).addFromSans(odd).build();
    assertEquals(Set.of("ok.odd.test"), set.names());
    assertSame(DEFAULT, set.select("ab.odd.test"));
    assertSame(DEFAULT, set.select("a.b.odd.test"));
  }

  @Test
  void namesSizeAndEntriesDescribeTheSet() {
    assertEquals(List.of("*.example.com", "app.test", "www.example.com"), List.copyOf(SET.names()));
    assertEquals(3, SET.size());
    assertSame(DEFAULT, SET.defaultPair());
    assertSame(WILDCARD, SET.entries().get("*.example.com"));
    assertEquals(0, CertificateSet.of(DEFAULT).size());
  }

  @Test
  void setsCompareByContent() {
    assertEquals(SET, standardSet());
    assertEquals(SET.hashCode(), standardSet().hashCode());
    assertNotEquals(SET, CertificateSet.of(DEFAULT));
    CertificateSet.Builder other = CertificateSet.builder(DEFAULT);
    other.add("app.test", WILDCARD);
    assertNotEquals(CertificateSet.of(DEFAULT), other.build());
  }
}
