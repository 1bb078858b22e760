package io.portico.tls;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CRLException;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The certificate authorities client certificates are checked against: ingress-nginx's {@code
 * auth-tls-secret} (the PEM certificates of its key {@code ca.crt}, and the PEM CRLs of {@code
 * ca.crl} when it has one), with nginx's {@code ssl_client_certificate}, {@code ssl_verify_depth}
 * and {@code ssl_crl} semantics.
 *
 * <p>As in OpenSSL, the self-signed certificates of {@code ca.crt} are the trust anchors; its other
 * certificates are intermediates that may complete a chain the client sent incomplete. A chain
 * checks out when it leads from the client's certificate to an anchor through at most {@code depth}
 * intermediates (nginx's {@code ssl_verify_depth}: 1 allows the client certificate, one
 * intermediate and the root), every certificate valid at the time of the check. With CRLs, every
 * certificate of the chain must be covered by a CRL of its issuer and not listed in it (OpenSSL's
 * {@code CRL_CHECK_ALL}, what nginx sets). A client certificate that names extended key usages must
 * name client authentication (or any usage).
 *
 * <p>Checking builds a path with the JDK's PKIX implementation; nothing is fetched from the
 * network. Instances are immutable and thread-safe; two are equal when they hold the same
 * certificates and CRLs, so an unchanged Secret gives an equal value.
 */
public final class ClientCertificateAuthority {

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_USAGE = "2.5.29.37.0";

  private final List<X509Certificate> certificates;
  private final List<X509CRL> crls;
  private final Set<TrustAnchor> anchors;
  private final List<X509Certificate> intermediates;
  private final List<byte[]> encoded;

  private ClientCertificateAuthority(List<X509Certificate> certificates, List<X509CRL> crls)
      throws TlsMaterialException {
    this.certificates = List.copyOf(certificates);
    this.crls = List.copyOf(crls);
    Set<TrustAnchor> roots = new HashSet<>();
    List<X509Certificate> others = new ArrayList<>();
    for (X509Certificate certificate : certificates) {
      if (selfSigned(certificate)) {
        roots.add(new TrustAnchor(certificate, null));
      } else {
        others.add(certificate);
      }
    }
    if (roots.isEmpty()) {
      throw new TlsMaterialException(
          "ca.crt: none of its "
              + certificates.size()
              + " certificates is self-signed (expected: the root CA that issued the client"
              + " certificates, with any intermediates)");
    }
    this.anchors = Set.copyOf(roots);
    this.intermediates = List.copyOf(others);
    List<byte[]> bytes = new ArrayList<>();
    try {
      for (X509Certificate certificate : certificates) {
        bytes.add(certificate.getEncoded());
      }
      for (X509CRL crl : crls) {
        bytes.add(crl.getEncoded());
      }
    } catch (GeneralSecurityException e) {
      throw new TlsMaterialException("ca.crt: cannot encode (" + e.getMessage() + ")", e);
    }
    this.encoded = List.copyOf(bytes);
  }

  /**
   * Reads {@code ca.crt} and, when not {@code null}, {@code ca.crl}.
   *
   * @throws TlsMaterialException naming the key when the text holds no certificate (or CRL), holds
   *     something that does not decode, or when {@code ca.crt} has no self-signed certificate
   */
  public static ClientCertificateAuthority fromPem(String caCrt, @Nullable String caCrl)
      throws TlsMaterialException {
    requireNonNull(caCrt, "caCrt");
    List<X509Certificate> certificates =
        PemReader.certificates(caCrt, new MaterialNames("ca.crt", "ca.key"));
    List<X509CRL> crls = caCrl == null ? List.of() : crls(caCrl);
    return new ClientCertificateAuthority(certificates, crls);
  }

  private static List<X509CRL> crls(String pem) throws TlsMaterialException {
    Collection<? extends java.security.cert.CRL> read;
    try {
      read =
          CertificateFactory.getInstance("X.509")
              .generateCRLs(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CRLException | java.security.cert.CertificateException | RuntimeException e) {
      throw new TlsMaterialException(
          "ca.crl: not a PEM certificate revocation list (" + e.getMessage() + ")", e);
    }
    if (read.isEmpty()) {
      throw new TlsMaterialException("ca.crl: no CRL found (expected: -----BEGIN X509 CRL-----)");
    }
    List<X509CRL> crls = new ArrayList<>();
    for (java.security.cert.CRL crl : read) {
      crls.add((X509CRL) crl);
    }
    return crls;
  }

  /** The certificates of {@code ca.crt}, in order. */
  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** The number of CRLs read from {@code ca.crl}; 0 without one. */
  public int crlCount() {
    return crls.size();
  }

  /**
   * Checks a client's chain, its own certificate first, as of {@code now}.
   *
   * @param chain what the client sent in its handshake; not empty
   * @param depth the most intermediates allowed between the client certificate and the root
   */
  public ClientVerification verify(List<X509Certificate> chain, int depth, Instant now) {
    requireNonNull(chain, "chain");
    requireNonNull(now, "now");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "chain: empty (expected: at least the client certificate)");
    }
    if (depth < 0) {
      throw new IllegalArgumentException("depth: " + depth + " (expected: 0 or more)");
    }
    X509Certificate leaf = chain.get(0);
    Date date = Date.from(now);
    try {
      leaf.checkValidity(date);
    } catch (CertificateExpiredException e) {
      return ClientVerification.invalid("certificate has expired");
    } catch (CertificateNotYetValidException e) {
      return ClientVerification.invalid("certificate is not yet valid");
    }
    if (!forClients(leaf)) {
      return ClientVerification.invalid("unsupported certificate purpose");
    }
    List<X509Certificate> others = new ArrayList<>(intermediates);
    others.addAll(chain.subList(1, chain.size()));
    PKIXCertPathBuilderResult built = build(leaf, others, depth, date);
    if (built == null) {
      if (build(leaf, others, -1, date) != null) {
        return ClientVerification.invalid("certificate chain too long");
      }
      return ClientVerification.untrusted(
          selfSigned(leaf) ? "self-signed certificate" : "unable to get local issuer certificate");
    }
    if (!crls.isEmpty()) {
      return revocation(built.getCertPath(), built.getTrustAnchor(), date);
    }
    return ClientVerification.VERIFIED;
  }

  /** A path from {@code leaf} to an anchor, or {@code null}; {@code depth} -1 for no limit. */
  private @Nullable PKIXCertPathBuilderResult build(
      X509Certificate leaf, List<X509Certificate> others, int depth, Date date) {
    X509CertSelector target = new X509CertSelector();
    target.setCertificate(leaf);
    try {
      PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
      parameters.setRevocationEnabled(false);
      parameters.setDate(date);
      parameters.setMaxPathLength(depth);
      List<X509Certificate> store = new ArrayList<>(others);
      store.add(leaf);
      parameters.addCertStore(
          CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
      return (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
    } catch (CertPathBuilderException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PKIX is not available", e);
    }
  }

  private ClientVerification revocation(CertPath path, TrustAnchor anchor, Date date) {
    try {
      PKIXParameters parameters = new PKIXParameters(Set.of(anchor));
      parameters.setDate(date);
      parameters.setRevocationEnabled(true);
      parameters.addCertStore(
          CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
      CertPathValidator.getInstance("PKIX").validate(path, parameters);
      return ClientVerification.VERIFIED;
    } catch (CertPathValidatorException e) {
      if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
        return ClientVerification.invalid("certificate revoked");
      }
      return ClientVerification.invalid("unable to get certificate CRL");
    } catch (InvalidAlgorithmParameterException e) {
      return ClientVerification.invalid("unable to get certificate CRL");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PKIX is not available", e);
    }
  }

  private static boolean forClients(X509Certificate leaf) {
    List<String> usages;
    try {
      usages = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return false;
    }
    return usages == null || usages.contains(CLIENT_AUTH) || usages.contains(ANY_USAGE);
  }

  private static boolean selfSigned(X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    try {
      certificate.verify(certificate.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ClientCertificateAuthority other)
        || encoded.size() != other.encoded.size()
        || crls.size() != other.crls.size()) {
      return false;
    }
    for (int i = 0; i < encoded.size(); i++) {
      if (!Arrays.equals(encoded.get(i), other.encoded.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = crls.size();
    for (byte[] bytes : encoded) {
      hash = 31 * hash + Arrays.hashCode(bytes);
    }
    return hash;
  }

  @Override
  public String toString() {
    List<String> subjects = new ArrayList<>();
    for (X509Certificate certificate : certificates) {
      subjects.add(certificate.getSubjectX500Principal().getName());
    }
    return "ClientCertificateAuthority" + subjects + (crls.isEmpty() ? "" : " crls=" + crls.size());
  }
}
