package io.portico.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertificateGeneratorTest {

  @Test
  void defaultCertificateIsOneSelfSignedEcCertificateForIngressLocal() throws Exception {
    TlsKeyPair pair = CertificateGenerator.defaultCertificate(Fixtures.NOW);

    assertEquals("CN=Portico Default Certificate", pair.subject());
    assertEquals(List.of("ingress.local"), pair.dnsNames());
    assertEquals("EC", pair.keyType());
    assertEquals(1, pair.chain().size());
    assertEquals(Fixtures.NOW.plus(Duration.ofDays(365)), pair.notAfter());
    assertEquals(-1, pair.leaf().getBasicConstraints());
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), pair.leaf().getExtendedKeyUsage());
    pair.leaf().verify(pair.leaf().getPublicKey());
    assertTrue(CertificateFindings.check(pair, List.of("ingress.local"), Fixtures.NOW).isEmpty());
  }

  @ParameterizedTest
  @EnumSource(
      value = KeyType.class,
      names = {"EC_P256", "RSA_2048"})
  void caSignedLeafValidatesWithTheJdk(KeyType keyType) throws Exception {
    TlsKeyPair ca =
        CertificateGenerator.certificateAuthority(
            "Test CA", keyType, Duration.ofDays(3650), Fixtures.NOW);
    TlsKeyPair leaf =
        CertificateGenerator.signedBy(
            ca,
            CertificateGenerator.LeafRequest.builder()
                .dnsName("app.test")
                .dnsName("*.App.Test")
                .ipAddress("127.0.0.1")
                .ipAddress("::1")
                .keyType(keyType)
                .build(),
            Fixtures.NOW);

    assertEquals(keyType.algorithm(), leaf.keyType());
    assertEquals(0, ca.leaf().getBasicConstraints());
    assertEquals("CN=app.test", leaf.subject());
    assertEquals(List.of("app.test", "*.app.test"), leaf.dnsNames());
    assertEquals(List.of("127.0.0.1", "0:0:0:0:0:0:0:1"), leaf.ipAddresses());
    assertEquals(1, leaf.chain().size());

    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.leaf(), null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(Fixtures.NOW));
    CertPathValidator.getInstance("PKIX")
        .validate(
            CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf.leaf())),
            parameters);
  }

  @Test
  void roundTripsThroughPem() throws Exception {
    TlsKeyPair pair = Fixtures.ec("app.test");

    String crt = Pem.certificates(pair.chain());
    String key = Pem.privateKey(pair.privateKey());

    assertTrue(crt.startsWith("-----BEGIN CERTIFICATE-----\n"), crt);
    assertTrue(key.startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertEquals(pair, TlsKeyPair.fromPem(crt, key));
  }

  @Test
  void leafCannotOutliveItsCaNorBeSignedByALeaf() {
    TlsKeyPair ca =
        CertificateGenerator.certificateAuthority(
            "Short CA", KeyType.EC_P256, Duration.ofDays(10), Fixtures.NOW);
    CertificateGenerator.LeafRequest request =
        CertificateGenerator.LeafRequest.builder().dnsName("app.test").build();

    IllegalArgumentException outlives =
        assertThrows(
            IllegalArgumentException.class,
            () -> CertificateGenerator.signedBy(ca, request, Fixtures.NOW));
    assertTrue(outlives.getMessage().startsWith("validity: the leaf would be valid until"));
    IllegalArgumentException notCa =
        assertThrows(
            IllegalArgumentException.class,
            () -> CertificateGenerator.signedBy(Fixtures.ec("a.test"), request, Fixtures.NOW));
    assertEquals(
        "ca: CN=a.test is not a CA certificate (expected: basicConstraints CA:TRUE)",
        notCa.getMessage());
  }

  @Test
  void requestNeedsValidNames() {
    assertThrows(
        IllegalArgumentException.class, () -> CertificateGenerator.LeafRequest.builder().build());
    IllegalArgumentException badName =
        assertThrows(
            IllegalArgumentException.class,
            () -> CertificateGenerator.LeafRequest.builder().dnsName("a..test"));
    assertEquals(
        "dnsName: \"a..test\": has an empty label (expected: labels separated by single dots)",
        badName.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> CertificateGenerator.LeafRequest.builder().ipAddress("app.test"));
  }

  @Test
  void longFirstNameGivesAGenericCommonName() {
    String longName = "a".repeat(60) + ".example.com";
    X509Certificate leaf = Fixtures.ec(longName).leaf();

    assertEquals("CN=Portico certgen", TlsKeyPair.subjectOf(leaf));
  }

  @Test
  void keyTypeCliNames() {
    assertEquals(KeyType.RSA_4096, KeyType.fromCliName("rsa-4096"));
    assertEquals("ec-p256, rsa-2048, rsa-4096", KeyType.cliNames());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeyType.fromCliName("dsa"));
    assertEquals(
        "key type: \"dsa\" (expected: one of ec-p256, rsa-2048, rsa-4096)", e.getMessage());
  }
}
