package io.portico.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertificateFindingsTest {

  private static final TlsKeyPair PAIR = Fixtures.ec("app.test", "*.example.com");

  @Test
  void validCertificateCoveringItsHostsHasNoFindings() {
    assertEquals(
        List.of(),
        CertificateFindings.check(PAIR, List.of("app.test", "a.example.com"), Fixtures.NOW));
  }

  @Test
  void expiredCertificateSaysWhen() {
    assertEquals(
        List.of("certificate expired on 2027-01-01T00:00:00Z (subject CN=app.test)"),
        CertificateFindings.check(PAIR, List.of(), Fixtures.NOW.plus(Duration.ofDays(400))));
  }

  @Test
  void notYetValidCertificateSaysFromWhen() {
    // Generated certificates start five minutes before their "now", for clock skew.
    assertEquals(
        List.of("certificate is not valid before 2025-12-31T23:55:00Z (subject CN=app.test)"),
        CertificateFindings.check(PAIR, List.of(), Fixtures.NOW.minus(Duration.ofDays(1))));
  }

  @Test
  void validityBoundsAreInclusive() {
    assertEquals(List.of(), CertificateFindings.check(PAIR, List.of(), PAIR.notAfter()));
    assertEquals(List.of(), CertificateFindings.check(PAIR, List.of(), PAIR.notBefore()));
  }

  @ParameterizedTest(name = "{0} covered: {1}")
  @CsvSource({
    "app.test,          true",
    "APP.Test.,         true",
    "a.example.com,     true",
    "*.example.com,     true",
    "example.com,       false",
    "a.b.example.com,   false",
    "*.b.example.com,   false",
    "other.test,        false",
    "*.app.test,        false",
  })
  void hostCoverage(String host, boolean covered) {
    List<String> findings = CertificateFindings.check(PAIR, List.of(host), Fixtures.NOW);
    if (covered) {
      assertEquals(List.of(), findings);
      return;
    }
    assertEquals(
        List.of(
            "host \""
                + host
                + "\" is not covered by the certificate's DNS names [app.test, *.example.com]"
                + " (subject CN=app.test)"),
        findings);
  }

  @Test
  void certificateWithoutSanCoversNothingAndSaysWhy() {
    TlsKeyPair noSan = Fixtures.pair("no-san.crt", "no-san.key");

    assertEquals(
        List.of(
            "host \"no-san.test\" is not covered: the certificate has no DNS names in"
                + " subjectAltName (subject CN=no-san.test; clients ignore the CN)"),
        CertificateFindings.check(noSan, List.of("no-san.test"), noSan.notBefore()));
  }

  @Test
  void severalFindingsInStableOrderAndDuplicateHostsOnce() {
    List<String> hosts = Arrays.asList("b.test", "", null, "a.test", "B.TEST");

    assertEquals(
        List.of(
            "certificate expired on 2027-01-01T00:00:00Z (subject CN=app.test)",
            "host \"b.test\" is not covered by the certificate's DNS names [app.test,"
                + " *.example.com] (subject CN=app.test)",
            "host \"a.test\" is not covered by the certificate's DNS names [app.test,"
                + " *.example.com] (subject CN=app.test)"),
        CertificateFindings.check(PAIR, hosts, Fixtures.NOW.plus(Duration.ofDays(400))));
  }
}
