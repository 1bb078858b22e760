package io.portico.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class ClientCertificateAuthorityTest {

  private static final Instant NOW = Fixtures.NOW;

  private static final TlsKeyPair CA =
      CertificateGenerator.certificateAuthority(
          "Client CA", KeyType.EC_P256, Duration.ofDays(3650), NOW);
  private static final TlsKeyPair OTHER_CA =
      CertificateGenerator.certificateAuthority(
          "Other CA", KeyType.EC_P256, Duration.ofDays(3650), NOW);

  private static TlsKeyPair client(TlsKeyPair ca, String commonName) {
    return CertificateGenerator.signedBy(
        ca,
        CertificateGenerator.LeafRequest.builder()
            .commonName(commonName)
            .dnsName("client.test")
            .forClients()
            .build(),
        NOW);
  }

  private static ClientCertificateAuthority authority(TlsKeyPair... cas) throws Exception {
    StringBuilder pem = new StringBuilder();
    for (TlsKeyPair ca : cas) {
      pem.append(Pem.certificates(ca.chain()));
    }
    return ClientCertificateAuthority.fromPem(pem.toString(), null);
  }

  @Test
  void aClientCertificateOfTheCaIsVerified() throws Exception {
    ClientVerification result = authority(CA).verify(client(CA, "alice").chain(), 1, NOW);

    assertEquals(ClientVerification.VERIFIED, result);
    assertEquals("SUCCESS", result.headerValue());
  }

  @Test
  void aCertificateOfAnotherCaIsUntrusted() throws Exception {
    ClientVerification result = authority(CA).verify(client(OTHER_CA, "eve").chain(), 1, NOW);

    assertEquals(ClientVerification.Outcome.UNTRUSTED, result.outcome());
    assertEquals("FAILED:unable to get local issuer certificate", result.headerValue());
    assertTrue(authority(CA, OTHER_CA).verify(client(OTHER_CA, "eve").chain(), 1, NOW).verified());
  }

  @Test
  void aSelfSignedCertificateIsUntrusted() throws Exception {
    TlsKeyPair self =
        CertificateGenerator.selfSigned(
            CertificateGenerator.LeafRequest.builder().dnsName("client.test").forClients().build(),
            NOW);

    assertEquals(
        new ClientVerification(ClientVerification.Outcome.UNTRUSTED, "self-signed certificate"),
        authority(CA).verify(self.chain(), 1, NOW));
  }

  @Test
  void anExpiredOrNotYetValidCertificateIsInvalid() throws Exception {
    List<X509Certificate> chain = client(CA, "alice").chain();

    assertEquals(
        new ClientVerification(ClientVerification.Outcome.INVALID, "certificate has expired"),
        authority(CA).verify(chain, 1, NOW.plus(Duration.ofDays(400))));
    assertEquals(
        "certificate is not yet valid",
        authority(CA).verify(chain, 1, NOW.minus(Duration.ofDays(1))).reason());
  }

  @Test
  void aServerCertificateIsNotAClientCertificate() throws Exception {
    TlsKeyPair server =
        CertificateGenerator.signedBy(
            CA, CertificateGenerator.LeafRequest.builder().dnsName("server.test").build(), NOW);

    assertEquals(
        new ClientVerification(
            ClientVerification.Outcome.INVALID, "unsupported certificate purpose"),
        authority(CA).verify(server.chain(), 1, NOW));
  }

  @Test
  void depthCountsTheIntermediatesBetweenClientAndRoot() throws Exception {
    KeyPair rootKeys = ecKeys();
    X509Certificate root = ca("CN=Root", rootKeys, "CN=Root", rootKeys, -1);
    KeyPair middleKeys = ecKeys();
    X509Certificate middle = ca("CN=Middle", middleKeys, "CN=Root", rootKeys, 0);
    TlsKeyPair middlePair = TlsKeyPair.of(middleKeys.getPrivate(), List.of(middle));
    TlsKeyPair leaf = client(middlePair, "bob");
    ClientCertificateAuthority authority =
        ClientCertificateAuthority.fromPem(Pem.certificates(List.of(root)), null);
    List<X509Certificate> sent = List.of(leaf.leaf(), middle);

    assertTrue(authority.verify(sent, 1, NOW).verified());
    assertEquals(
        new ClientVerification(ClientVerification.Outcome.INVALID, "certificate chain too long"),
        authority.verify(sent, 0, NOW));
    // An intermediate the client does not send may come from ca.crt.
    ClientCertificateAuthority withMiddle =
        ClientCertificateAuthority.fromPem(Pem.certificates(List.of(root, middle)), null);
    assertTrue(withMiddle.verify(List.of(leaf.leaf()), 1, NOW).verified());
    assertEquals(
        ClientVerification.Outcome.UNTRUSTED,
        authority.verify(List.of(leaf.leaf()), 1, NOW).outcome());
  }

  @Test
  void aCaCrtWithoutARootIsRefused() throws Exception {
    KeyPair rootKeys = ecKeys();
    KeyPair middleKeys = ecKeys();
    X509Certificate middle = ca("CN=Middle", middleKeys, "CN=Root", rootKeys, 0);

    TlsMaterialException noRoot =
        assertThrows(
            TlsMaterialException.class,
            () -> ClientCertificateAuthority.fromPem(Pem.certificates(List.of(middle)), null));
    assertTrue(
        noRoot.getMessage().startsWith("ca.crt: none of its 1 certificates is self-signed"),
        noRoot.getMessage());
    TlsMaterialException notPem =
        assertThrows(
            TlsMaterialException.class, () -> ClientCertificateAuthority.fromPem("not pem", null));
    assertTrue(notPem.getMessage().startsWith("ca.crt: "), notPem.getMessage());
    TlsMaterialException badCrl =
        assertThrows(
            TlsMaterialException.class,
            () -> ClientCertificateAuthority.fromPem(Pem.certificates(CA.chain()), "junk"));
    assertTrue(badCrl.getMessage().startsWith("ca.crl: "), badCrl.getMessage());
  }

  @Test
  void aRevokedCertificateIsInvalidAndTheOthersStillVerify() throws Exception {
    TlsKeyPair alice = client(CA, "alice");
    TlsKeyPair bob = client(CA, "bob");
    String crl = crl(CA, alice.leaf().getSerialNumber());
    ClientCertificateAuthority authority =
        ClientCertificateAuthority.fromPem(Pem.certificates(CA.chain()), crl);

    assertEquals(
        new ClientVerification(ClientVerification.Outcome.INVALID, "certificate revoked"),
        authority.verify(alice.chain(), 1, NOW));
    assertTrue(authority.verify(bob.chain(), 1, NOW).verified());
    assertEquals(1, authority.crlCount());
  }

  @Test
  void aCrlThatDoesNotCoverTheIssuerFailsTheCheck() throws Exception {
    String crl = crl(OTHER_CA, BigInteger.ONE);
    ClientCertificateAuthority authority =
        ClientCertificateAuthority.fromPem(Pem.certificates(CA.chain()), crl);

    assertEquals(
        new ClientVerification(ClientVerification.Outcome.INVALID, "unable to get certificate CRL"),
        authority.verify(client(CA, "alice").chain(), 1, NOW));
  }

  @Test
  void equalMaterialGivesEqualAuthorities() throws Exception {
    assertEquals(authority(CA), authority(CA));
    assertEquals(authority(CA).hashCode(), authority(CA).hashCode());
    assertNotEquals(authority(CA), authority(OTHER_CA));
  }

  private static KeyPair ecKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static X509Certificate ca(
      String subject, KeyPair keys, String issuer, KeyPair issuerKeys, int pathLength)
      throws Exception {
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer),
            BigInteger.valueOf(System.nanoTime()),
            Date.from(NOW.minus(Duration.ofDays(1))),
            Date.from(NOW.plus(Duration.ofDays(3650))),
            new X500Name(subject),
            keys.getPublic());
    builder.addExtension(
        Extension.basicConstraints,
        true,
        pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static String crl(TlsKeyPair ca, BigInteger revoked) throws Exception {
    X509v2CRLBuilder builder =
        new X509v2CRLBuilder(
            X500Name.getInstance(ca.leaf().getSubjectX500Principal().getEncoded()),
            Date.from(NOW.minus(Duration.ofHours(1))));
    builder.setNextUpdate(Date.from(NOW.plus(Duration.ofDays(7))));
    builder.addCRLEntry(
        revoked, Date.from(NOW.minus(Duration.ofHours(1))), CRLReason.keyCompromise);
    java.security.cert.X509CRL crl =
        new JcaX509CRLConverter()
            .getCRL(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(ca.privateKey())));
    return "-----BEGIN X509 CRL-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(crl.getEncoded())
        + "\n-----END X509 CRL-----\n";
  }
}
