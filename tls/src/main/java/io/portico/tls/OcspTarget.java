package io.portico.tls;

import static io.portico.tls.Messages.reason;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * What to ask an OCSP responder about one served certificate, and the check of its answer (RFC
 * 6960): the responder named by the leaf's Authority Information Access extension, the DER request
 * to POST there, and {@link #check}, which accepts a response only when it is {@code good}, signed
 * by the leaf's issuer (or by a responder certificate the issuer gave the {@code OCSPSigning}
 * extended key usage) and current.
 *
 * <p>The issuer must be in the chain, after the leaf: the request names the certificate by the hash
 * of its issuer's name and key. Requests carry no nonce, as responders that pre-sign their answers
 * (most public CAs) ignore it, and a stapled response is shared by every client anyway.
 */
public final class OcspTarget {

  /**
   * How far in the future a response's {@code thisUpdate} may be: the responder's clock may run
   * ahead.
   */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private static final String OCSP_SIGNING = KeyPurposeId.id_kp_OCSPSigning.getId();

  private final URI responder;
  private final X509Certificate issuer;
  private final CertificateID id;
  private final byte[] request;

  private OcspTarget(URI responder, X509Certificate issuer, CertificateID id, byte[] request) {
    this.responder = responder;
    this.issuer = issuer;
    this.id = id;
    this.request = request;
  }

  /**
   * The target for the leaf of {@code pair}, or empty when its certificate names no OCSP responder
   * (nothing to staple, not an error).
   *
   * @throws OcspException when the certificate names a responder but its status cannot be asked
   *     for: the issuer is not in the chain, or the responder's address is not an {@code http} URL
   */
  public static Optional<OcspTarget> of(TlsKeyPair pair) throws OcspException {
    requireNonNull(pair, "pair");
    X509Certificate leaf = pair.leaf();
    List<String> urls = responderUrls(leaf);
    if (urls.isEmpty()) {
      return Optional.empty();
    }
    URI responder = httpUrl(urls);
    X509Certificate issuer = issuerOf(leaf, pair.chain());
    try {
      CertificateID id =
          new CertificateID(
              new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
              new JcaX509CertificateHolder(issuer),
              leaf.getSerialNumber());
      byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
      return Optional.of(new OcspTarget(responder, issuer, id, request));
    } catch (OperatorCreationException | OCSPException | CertificateException | IOException e) {
      throw new OcspException("request: cannot be built (" + reason(e) + ")", e);
    }
  }

  /** The responder's URL, from the leaf's Authority Information Access. */
  public URI responder() {
    return responder;
  }

  /** The DER-encoded {@code OCSPRequest} to POST, as {@code application/ocsp-request}. */
  public byte[] request() {
    return request.clone();
  }

  /**
   * Checks a responder's answer for this certificate at {@code now}.
   *
   * @param response the body of the responder's answer, a DER-encoded {@code OCSPResponse}
   * @return the response, ready to staple
   * @throws OcspException saying why the response must not be stapled: not a successful basic
   *     response, no status for this certificate, a status other than {@code good}, a signature
   *     that is neither the issuer's nor an authorised responder's, {@code thisUpdate} in the
   *     future or {@code nextUpdate} past
   */
  public OcspStaple check(byte[] response, Instant now) throws OcspException {
    requireNonNull(response, "response");
    requireNonNull(now, "now");
    OCSPResp parsed;
    try {
      parsed = new OCSPResp(response);
    } catch (IOException | RuntimeException e) {
      throw new OcspException("response: not a DER OCSPResponse (" + reason(e) + ")", e);
    }
    if (parsed.getStatus() != OCSPResp.SUCCESSFUL) {
      throw new OcspException(
          "responseStatus: " + responseStatusName(parsed.getStatus()) + " (expected: successful)");
    }
    BasicOCSPResp basic;
    try {
      if (!(parsed.getResponseObject() instanceof BasicOCSPResp b)) {
        throw new OcspException(
            "responseType: not id-pkix-ocsp-basic (expected: a basic response)");
      }
      basic = b;
    } catch (OCSPException | RuntimeException e) {
      throw new OcspException("response: unreadable basic response (" + reason(e) + ")", e);
    }
    SingleResp single = statusOfThisCertificate(basic);
    checkSigner(basic, now);
    CertificateStatus status = single.getCertStatus();
    if (status instanceof RevokedStatus revoked) {
      throw new OcspException(
          "status: revoked at " + revoked.getRevocationTime().toInstant() + " (expected: good)");
    }
    if (status != CertificateStatus.GOOD) {
      throw new OcspException("status: unknown (expected: good)");
    }
    Instant thisUpdate = single.getThisUpdate().toInstant();
    if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))) {
      throw new OcspException(
          "thisUpdate: " + thisUpdate + " is in the future (expected: at most " + now + ")");
    }
    Date next = single.getNextUpdate();
    Instant nextUpdate = next == null ? null : next.toInstant();
    if (nextUpdate != null && !now.isBefore(nextUpdate)) {
      throw new OcspException(
          "nextUpdate: "
              + nextUpdate
              + " has passed (expected: a response current at "
              + now
              + ")");
    }
    return new OcspStaple(response, thisUpdate, nextUpdate);
  }

  @Override
  public String toString() {
    return "OcspTarget{responder="
        + responder
        + ", serial="
        + id.getSerialNumber().toString(16)
        + '}';
  }

  private SingleResp statusOfThisCertificate(BasicOCSPResp basic) throws OcspException {
    for (SingleResp single : basic.getResponses()) {
      if (id.equals(single.getCertID())) {
        return single;
      }
    }
    throw new OcspException(
        "response: no status for serial "
            + id.getSerialNumber().toString(16)
            + " (expected: the certificate that was asked about)");
  }

  /**
   * The issuer signed the response itself, or a responder certificate it issued for the purpose
   * did.
   */
  private void checkSigner(BasicOCSPResp basic, Instant now) throws OcspException {
    if (signedWith(basic, issuer.getPublicKey())) {
      return;
    }
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (X509CertificateHolder holder : basic.getCerts()) {
      X509Certificate responderCertificate;
      try {
        responderCertificate = converter.getCertificate(holder);
      } catch (CertificateException e) {
        continue;
      }
      if (authorisedResponder(responderCertificate, now)
          && signedWith(basic, responderCertificate.getPublicKey())) {
        return;
      }
    }
    throw new OcspException(
        "signature: made neither by the issuer "
            + TlsKeyPair.subjectOf(issuer)
            + " nor by a current OCSP responder certificate it issued (expected: one of those)");
  }

  /** RFC 6960 section 4.2.2.2: issued by the issuer, with the OCSPSigning extended key usage. */
  private boolean authorisedResponder(X509Certificate candidate, Instant now) {
    if (!candidate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      candidate.verify(issuer.getPublicKey());
      candidate.checkValidity(Date.from(now));
      List<String> usages = candidate.getExtendedKeyUsage();
      return usages != null && usages.contains(OCSP_SIGNING);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean signedWith(BasicOCSPResp basic, PublicKey key) {
    try {
      ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().build(key);
      return basic.isSignatureValid(verifier);
    } catch (OperatorCreationException | OCSPException | RuntimeException e) {
      // A key of another algorithm than the signature's, for example: not this signer.
      return false;
    }
  }

  /** The OCSP URLs of the leaf's Authority Information Access, in certificate order. */
  private static List<String> responderUrls(X509Certificate leaf) throws OcspException {
    byte[] extension = leaf.getExtensionValue(Extension.authorityInfoAccess.getId());
    if (extension == null) {
      return List.of();
    }
    AuthorityInformationAccess access;
    try {
      ASN1Primitive value = JcaX509ExtensionUtils.parseExtensionValue(extension);
      access = AuthorityInformationAccess.getInstance(value);
    } catch (IOException | RuntimeException e) {
      throw new OcspException(
          "tls.crt: unreadable Authority Information Access extension (" + reason(e) + ")", e);
    }
    List<String> urls = new ArrayList<>();
    for (AccessDescription description : access.getAccessDescriptions()) {
      GeneralName location = description.getAccessLocation();
      if (AccessDescription.id_ad_ocsp.equals(description.getAccessMethod())
          && location.getTagNo() == GeneralName.uniformResourceIdentifier
          && location.getName() instanceof ASN1String url) {
        urls.add(url.getString());
      }
    }
    return urls;
  }

  private static URI httpUrl(List<String> urls) throws OcspException {
    for (String url : urls) {
      try {
        URI uri = new URI(url);
        if ("http".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))
            && uri.getHost() != null) {
          return uri;
        }
      } catch (URISyntaxException e) {
        // Try the next one.
      }
    }
    throw new OcspException(
        "tls.crt: OCSP responder "
            + urls
            + " (expected: an http:// URL, as RFC 6960 appendix A.1 uses)");
  }

  private static X509Certificate issuerOf(X509Certificate leaf, List<X509Certificate> chain)
      throws OcspException {
    for (X509Certificate candidate : chain.subList(1, chain.size())) {
      if (candidate.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())
          && signedBy(leaf, candidate)) {
        return candidate;
      }
    }
    throw new OcspException(
        "tls.crt: the issuer "
            + leaf.getIssuerX500Principal().getName()
            + " of "
            + TlsKeyPair.subjectOf(leaf)
            + " is not in the chain (expected: the issuing CA's certificate after the leaf, which"
            + " an OCSP request needs)");
  }

  private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
    try {
      certificate.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static String responseStatusName(int status) {
    return switch (status) {
      case OCSPResp.MALFORMED_REQUEST -> "malformedRequest";
      case OCSPResp.INTERNAL_ERROR -> "internalError";
      case OCSPResp.TRY_LATER -> "tryLater";
      case OCSPResp.SIG_REQUIRED -> "sigRequired";
      case OCSPResp.UNAUTHORIZED -> "unauthorized";
      default -> Integer.toString(status);
    };
  }
}
