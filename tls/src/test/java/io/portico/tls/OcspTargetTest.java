package io.portico.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OCSP request built for a certificate and the checks of the responder's answer. */
class OcspTargetTest {

  private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
  private static final String URL = "http://ocsp.example.test/";

  private static TlsKeyPair ca;
  private static TlsKeyPair other;
  private static TlsKeyPair served;
  private static OcspTarget target;
  private static CertificateID id;

  @BeforeAll
  static void certificates() throws Exception {
    ca = CertificateGenerator.certificateAuthority("CA", KeyType.EC_P256, Duration.ofDays(30), NOW);
    other =
        CertificateGenerator.certificateAuthority(
            "Other", KeyType.EC_P256, Duration.ofDays(30), NOW);
    TlsKeyPair leaf =
        CertificateGenerator.signedBy(
            ca,
            CertificateGenerator.LeafRequest.builder()
                .dnsName("app.test")
                .validity(Duration.ofDays(7))
                .ocspResponder(URL)
                .build(),
            NOW);
    served = TlsKeyPair.of(leaf.privateKey(), List.of(leaf.leaf(), ca.leaf()));
    target = OcspTarget.of(served).orElseThrow();
    id = new OCSPReq(target.request()).getRequestList()[0].getCertID();
  }

  @Test
  void theRequestNamesTheLeafByItsIssuerAndGoesToTheResponderOfItsCertificate() throws Exception {
    assertEquals(URL, target.responder().toString());
    assertEquals(served.leaf().getSerialNumber(), id.getSerialNumber());
    assertTrue(
        id.matchesIssuer(
            new JcaX509CertificateHolder(ca.leaf()),
            new JcaDigestCalculatorProviderBuilder().build()));
  }

  @Test
  void aCertificateWithoutResponderHasNoTarget() throws Exception {
    assertEquals(Optional.empty(), OcspTarget.of(ca));
    assertEquals(Optional.empty(), OcspTarget.of(CertificateGenerator.defaultCertificate(NOW)));
  }

  @Test
  void theIssuerMustFollowTheLeaf() {
    TlsKeyPair alone = TlsKeyPair.of(served.privateKey(), List.of(served.leaf()));
    OcspException e = assertThrows(OcspException.class, () -> OcspTarget.of(alone));
    assertTrue(e.getMessage().contains("is not in the chain"), e.getMessage());
    TlsKeyPair wrongIssuer =
        TlsKeyPair.of(served.privateKey(), List.of(served.leaf(), other.leaf()));
    assertThrows(OcspException.class, () -> OcspTarget.of(wrongIssuer));
  }

  @Test
  void aGoodResponseSignedByTheIssuerIsStapled() throws Exception {
    byte[] response = response(ca, id, CertificateStatus.GOOD, NOW, NOW.plus(Duration.ofDays(1)));
    OcspStaple staple = target.check(response, NOW.plusSeconds(60));
    assertArrayEquals(response, staple.encoded());
    assertEquals(NOW, staple.thisUpdate());
    assertEquals(Optional.of(NOW.plus(Duration.ofDays(1))), staple.nextUpdate());
  }

  @Test
  void aResponseWithoutNextUpdateIsStapled() throws Exception {
    byte[] response = response(ca, id, CertificateStatus.GOOD, NOW, null);
    assertEquals(Optional.empty(), target.check(response, NOW).nextUpdate());
  }

  @Test
  void aDelegatedResponderNeedsTheOcspSigningUsageFromTheIssuer() throws Exception {
    TlsKeyPair delegated = responderCertificate(ca, true);
    target.check(response(delegated, id, CertificateStatus.GOOD, NOW, null), NOW);
    TlsKeyPair withoutUsage = responderCertificate(ca, false);
    assertRefused("signature:", response(withoutUsage, id, CertificateStatus.GOOD, NOW, null), NOW);
    TlsKeyPair fromAnotherCa = responderCertificate(other, true);
    assertRefused(
        "signature:", response(fromAnotherCa, id, CertificateStatus.GOOD, NOW, null), NOW);
  }

  @Test
  void whatIsNotAGoodCurrentResponseForThisCertificateIsRefused() throws Exception {
    Instant later = NOW.plus(Duration.ofDays(1));
    assertRefused(
        "status: revoked", response(ca, id, new RevokedStatus(Date.from(NOW), 1), NOW, later), NOW);
    assertRefused("status: unknown", response(ca, id, new UnknownStatus(), NOW, later), NOW);
    assertRefused("signature:", response(other, id, CertificateStatus.GOOD, NOW, later), NOW);
    assertRefused(
        "nextUpdate:", response(ca, id, CertificateStatus.GOOD, NOW, later), later.plusSeconds(1));
    assertRefused(
        "thisUpdate:",
        response(ca, id, CertificateStatus.GOOD, NOW.plus(Duration.ofHours(1)), later),
        NOW);
    CertificateID otherSerial =
        new CertificateID(
            new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
            new JcaX509CertificateHolder(ca.leaf()),
            BigInteger.TEN);
    assertRefused(
        "response: no status for serial",
        response(ca, otherSerial, CertificateStatus.GOOD, NOW, later),
        NOW);
    assertRefused(
        "responseStatus: tryLater",
        new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded(),
        NOW);
    assertRefused("response: not a DER OCSPResponse", new byte[] {1, 2, 3}, NOW);
  }

  private static void assertRefused(String reason, byte[] response, Instant at) {
    OcspException e = assertThrows(OcspException.class, () -> target.check(response, at));
    assertTrue(e.getMessage().startsWith(reason), e.getMessage());
  }

  private static byte[] response(
      TlsKeyPair signer,
      CertificateID certificate,
      CertificateStatus status,
      Instant thisUpdate,
      Instant nextUpdate)
      throws Exception {
    BasicOCSPRespBuilder builder =
        new JcaBasicOCSPRespBuilder(
            signer.leaf().getPublicKey(),
            new JcaDigestCalculatorProviderBuilder().build().get(RespID.HASH_SHA1));
    builder.addResponse(
        certificate,
        status,
        Date.from(thisUpdate),
        nextUpdate == null ? null : Date.from(nextUpdate),
        null);
    return new OCSPRespBuilder()
        .build(
            OCSPRespBuilder.SUCCESSFUL,
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer.privateKey()),
                new X509CertificateHolder[] {new JcaX509CertificateHolder(signer.leaf())},
                Date.from(thisUpdate)))
        .getEncoded();
  }

  /**
   * A certificate {@code issuer} gives an OCSP responder, with or without the OCSPSigning usage.
   */
  private static TlsKeyPair responderCertificate(TlsKeyPair issuer, boolean ocspSigning)
      throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer.leaf(),
            BigInteger.valueOf(System.nanoTime()),
            Date.from(NOW.minus(Duration.ofDays(1))),
            Date.from(NOW.plus(Duration.ofDays(2))),
            new X500Name("CN=OCSP responder"),
            keys.getPublic());
    builder.addExtension(
        Extension.extendedKeyUsage,
        false,
        new ExtendedKeyUsage(
            ocspSigning ? KeyPurposeId.id_kp_OCSPSigning : KeyPurposeId.id_kp_serverAuth));
    X509Certificate certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.privateKey())));
    return TlsKeyPair.of(keys.getPrivate(), List.of(certificate));
  }
}
