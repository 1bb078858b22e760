package io.portico.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A certificate chain and the private key of its leaf, validated: a {@code TlsKeyPair} whose key
 * does not match its leaf certificate cannot exist.
 *
 * <p>Made from the {@code tls.crt} and {@code tls.key} values of a {@code kubernetes.io/tls} Secret
 * with {@link #fromPem}, or from JDK objects with {@link #of}. Keys are RSA or EC, in PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}), PKCS#8 ({@code BEGIN PRIVATE KEY}) or SEC1 ({@code BEGIN EC
 * PRIVATE KEY}, optionally after {@code BEGIN EC PARAMETERS}); encrypted keys are refused. {@code
 * tls.crt} holds the leaf first, then its chain, in order.
 *
 * <p>Two pairs are equal when their chains are byte-for-byte equal. The key needs no comparison: it
 * was checked against the leaf's public key, which determines it, so two parses of the same Secret
 * are equal even when the key was written in another PEM format. {@link #toString()} never shows
 * key material.
 */
public final class TlsKeyPair {

  /** What messages call the certificate text and the key text. */
  private record Names(String crt, String key) {
    static final Names SECRET = new Names("tls.crt", "tls.key");
    static final Names ARGUMENTS = new Names("chain", "privateKey");
  }

  private static final AtomicLong INSTANCES = new AtomicLong();
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;
  private final List<String> dnsNames;
  private final List<String> ipAddresses;
  private final String keyType;
  private final String subject;
  private final String fingerprint;
  private final String chainFingerprint;
  // Identifies this object (not its content) in key-manager aliases: see SniKeyManager.
  private final String alias;

  private TlsKeyPair(
      PrivateKey privateKey,
      List<X509Certificate> chain,
      List<String> dnsNames,
      List<String> ipAddresses,
      String keyType) {
    this.privateKey = privateKey;
    this.chain = chain;
    this.dnsNames = dnsNames;
    this.ipAddresses = ipAddresses;
    this.keyType = keyType;
    this.subject = subjectOf(chain.get(0));
    this.fingerprint = sha256Hex(encoded(chain.get(0)));
    this.chainFingerprint = chainFingerprint(chain);
    this.alias = "portico-" + INSTANCES.incrementAndGet();
  }

  /**
   * Parses and validates the PEM text of a {@code kubernetes.io/tls} Secret.
   *
   * @param certificateChainPem the {@code tls.crt} value: the leaf certificate, then its chain
   * @param privateKeyPem the {@code tls.key} value: one unencrypted RSA or EC private key
   * @throws TlsMaterialException with a user-facing message naming {@code tls.crt} or {@code
   *     tls.key} when the text holds no usable certificate or key, or when they do not match
   */
  public static TlsKeyPair fromPem(String certificateChainPem, String privateKeyPem)
      throws TlsMaterialException {
    requireNonNull(certificateChainPem, "certificateChainPem");
    requireNonNull(privateKeyPem, "privateKeyPem");
    return fromPem(certificateChainPem, privateKeyPem, Names.SECRET);
  }

  /**
   * {@link #fromPem(String, String)} for files other than a Secret's: messages name {@code crtName}
   * and {@code keyName} (for example {@code ca.crt} and {@code ca.key}).
   */
  static TlsKeyPair fromPem(
      String certificateChainPem, String privateKeyPem, String crtName, String keyName)
      throws TlsMaterialException {
    return fromPem(certificateChainPem, privateKeyPem, new Names(crtName, keyName));
  }

  private static TlsKeyPair fromPem(String certificateChainPem, String privateKeyPem, Names names)
      throws TlsMaterialException {
    List<X509Certificate> chain = parseCertificates(certificateChainPem, names);
    PrivateKey key = parsePrivateKey(privateKeyPem, names);
    return create(key, chain, names);
  }

  /**
   * Makes a pair from JDK objects, for keys and certificates made in code.
   *
   * @param chain the leaf first, then its chain; not empty
   * @throws IllegalArgumentException when the chain is empty, the key is neither RSA nor EC, or the
   *     key does not match the leaf
   */
  public static TlsKeyPair of(PrivateKey privateKey, List<X509Certificate> chain) {
    requireNonNull(privateKey, "privateKey");
    requireNonNull(chain, "chain");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain: empty (expected: the leaf, then its chain)");
    }
    try {
      return create(privateKey, List.copyOf(chain), Names.ARGUMENTS);
    } catch (TlsMaterialException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The private key of the leaf. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The certificates, leaf first, as given; unmodifiable and never empty. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The leaf certificate: the first of {@link #chain()}. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /**
   * The DNS names of the leaf's subjectAltName, lower-cased, in certificate order. Empty when the
   * certificate has none: the subject CN is deliberately not used (RFC 6125, and what browsers do).
   */
  public List<String> dnsNames() {
    return dnsNames;
  }

  /** The IP addresses of the leaf's subjectAltName, as text; empty when there are none. */
  public List<String> ipAddresses() {
    return ipAddresses;
  }

  /** Start of the leaf's validity. */
  public Instant notBefore() {
    return leaf().getNotBefore().toInstant();
  }

  /** End of the leaf's validity. */
  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  /** The leaf's subject in RFC 2253 form, for example {@code CN=app.test}. */
  public String subject() {
    return subject;
  }

  /** The key algorithm: {@code "RSA"} or {@code "EC"}. */
  public String keyType() {
    return keyType;
  }

  /** SHA-256 of the leaf's DER encoding, in lower-case hex without separators. */
  public String fingerprint() {
    return fingerprint;
  }

  /** A key-manager alias unique to this object; see {@link SniKeyManager}. */
  String alias() {
    return alias;
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof TlsKeyPair other && chainFingerprint.equals(other.chainFingerprint));
  }

  @Override
  public int hashCode() {
    return chainFingerprint.hashCode();
  }

  @Override
  public String toString() {
    return "TlsKeyPair{subject="
        + subject
        + ", dnsNames="
        + dnsNames
        + ", keyType="
        + keyType
        + ", notAfter="
        + notAfter()
        + ", fingerprint="
        + fingerprint
        + '}';
  }

  private static TlsKeyPair create(PrivateKey key, List<X509Certificate> chain, Names names)
      throws TlsMaterialException {
    String keyType = key.getAlgorithm();
    if (!keyType.equals("RSA") && !keyType.equals("EC")) {
      throw new TlsMaterialException(
          names.key() + ": unsupported key algorithm \"" + keyType + "\" (expected: RSA or EC)");
    }
    X509Certificate leaf = chain.get(0);
    if (!matches(key, leaf.getPublicKey())) {
      throw mismatch(key, chain, names);
    }
    return new TlsKeyPair(key, chain, sanNames(leaf, 2, names), sanNames(leaf, 7, names), keyType);
  }

  private static TlsMaterialException mismatch(
      PrivateKey key, List<X509Certificate> chain, Names names) {
    X509Certificate leaf = chain.get(0);
    for (int i = 1; i < chain.size(); i++) {
      if (matches(key, chain.get(i).getPublicKey())) {
        return new TlsMaterialException(
            names.crt()
                + ": the certificate that matches "
                + names.key()
                + " is number "
                + (i + 1)
                + " (subject "
                + subjectOf(chain.get(i))
                + "), not the first (expected: the leaf first, then its chain)");
      }
    }
    String leafType = leaf.getPublicKey().getAlgorithm();
    String detail =
        leafType.equals(key.getAlgorithm())
            ? ""
            : "an " + key.getAlgorithm() + " key for an " + leafType + " certificate, ";
    return new TlsMaterialException(
        names.key()
            + ": private key does not match the certificate ("
            + detail
            + "certificate subject "
            + subjectOf(leaf)
            + ")");
  }

  /**
   * Whether {@code key} is the private half of {@code publicKey}. RSA compares the modulus and,
   * when the key carries it, the public exponent; otherwise a signature over a random challenge
   * must verify with the public key, which is decisive for every key type.
   */
  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    if (key instanceof RSAPrivateKey rsaKey && publicKey instanceof RSAPublicKey rsaPublic) {
      if (!rsaKey.getModulus().equals(rsaPublic.getModulus())) {
        return false;
      }
      if (rsaKey instanceof RSAPrivateCrtKey crt) {
        return crt.getPublicExponent().equals(rsaPublic.getPublicExponent());
      }
      return signatureVerifies("SHA256withRSA", key, publicKey);
    }
    if (key instanceof ECPrivateKey ecKey && publicKey instanceof ECPublicKey ecPublic) {
      if (!ecKey.getParams().getCurve().equals(ecPublic.getParams().getCurve())) {
        return false;
      }
      return signatureVerifies("SHA256withECDSA", key, publicKey);
    }
    return false;
  }

  private static boolean signatureVerifies(String algorithm, PrivateKey key, PublicKey publicKey) {
    byte[] challenge = new byte[32];
    RANDOM.nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // A key the provider cannot use with this certificate's key does not match it.
      return false;
    }
  }

  private static List<X509Certificate> parseCertificates(String pem, Names names)
      throws TlsMaterialException {
    List<PemObject> objects = readPem(names.crt(), pem);
    if (objects.isEmpty()) {
      throw new TlsMaterialException(
          names.crt() + ": no PEM certificate found (expected: -----BEGIN CERTIFICATE-----)");
    }
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> chain = new ArrayList<>(objects.size());
    for (PemObject object : objects) {
      if (!isCertificateLabel(object.getType())) {
        throw unsupported(names.crt(), object, "CERTIFICATE");
      }
      int number = chain.size() + 1;
      try {
        chain.add(converter.getCertificate(new X509CertificateHolder(object.getContent())));
      } catch (IOException | CertificateException | RuntimeException e) {
        throw new TlsMaterialException(
            names.crt()
                + ": certificate number "
                + number
                + " is not a valid X.509 certificate ("
                + reason(e)
                + ")",
            e);
      }
    }
    return List.copyOf(chain);
  }

  private static boolean isCertificateLabel(String type) {
    // The two older labels are still written by some tools (RFC 7468 section 5.3).
    return type.equals("CERTIFICATE")
        || type.equals("X509 CERTIFICATE")
        || type.equals("X.509 CERTIFICATE");
  }

  private static PrivateKey parsePrivateKey(String pem, Names names) throws TlsMaterialException {
    PemObject keyObject = null;
    ASN1Primitive ecParameters = null;
    for (PemObject object : readPem(names.key(), pem)) {
      switch (object.getType()) {
        case "EC PARAMETERS" -> ecParameters = ecParameters(object, names);
        case "ENCRYPTED PRIVATE KEY" -> throw encrypted(names);
        case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
          if (isEncrypted(object)) {
            throw encrypted(names);
          }
          if (keyObject != null) {
            throw new TlsMaterialException(
                names.key() + ": more than one private key (expected: exactly one)");
          }
          keyObject = object;
        }
        default ->
            throw unsupported(
                names.key(), object, "PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY");
      }
    }
    if (keyObject == null) {
      throw new TlsMaterialException(
          names.key()
              + ": no PEM private key found (expected: -----BEGIN PRIVATE KEY-----,"
              + " -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
    }
    PrivateKeyInfo info = privateKeyInfo(keyObject, ecParameters, names);
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (PEMException | RuntimeException e) {
      throw new TlsMaterialException(
          names.key() + ": unsupported or malformed private key (" + reason(e) + ")", e);
    }
  }

  private static PrivateKeyInfo privateKeyInfo(
      PemObject object, ASN1Primitive ecParameters, Names names) throws TlsMaterialException {
    byte[] content = object.getContent();
    try {
      switch (object.getType()) {
        case "RSA PRIVATE KEY":
          // PKCS#1 holds only the key; PKCS#8 wraps it with the algorithm identifier.
          return new PrivateKeyInfo(
              new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
              org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(content));
        case "EC PRIVATE KEY":
          {
            // SEC1 names its curve inside the key, or openssl writes it in EC PARAMETERS before.
            org.bouncycastle.asn1.sec.ECPrivateKey ecKey =
                org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(content);
            ASN1Encodable parameters = ecKey.getParametersObject();
            if (parameters == null) {
              parameters = ecParameters;
            }
            if (parameters == null) {
              throw new TlsMaterialException(
                  names.key()
                      + ": EC PRIVATE KEY names no curve (expected: curve parameters in the"
                      + " key or in a preceding EC PARAMETERS block)");
            }
            return new PrivateKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, parameters), ecKey);
          }
        default:
          return PrivateKeyInfo.getInstance(content);
      }
    } catch (IOException | RuntimeException e) {
      throw new TlsMaterialException(
          names.key() + ": malformed " + object.getType() + " (" + reason(e) + ")", e);
    }
  }

  private static ASN1Primitive ecParameters(PemObject object, Names names)
      throws TlsMaterialException {
    try {
      return ASN1Primitive.fromByteArray(object.getContent());
    } catch (IOException | RuntimeException e) {
      throw new TlsMaterialException(
          names.key() + ": malformed EC PARAMETERS (" + reason(e) + ")", e);
    }
  }

  private static boolean isEncrypted(PemObject object) {
    for (Object header : object.getHeaders()) {
      if (header instanceof PemHeader pemHeader
          && pemHeader.getName().equalsIgnoreCase("Proc-Type")
          && pemHeader.getValue().toUpperCase(Locale.ROOT).contains("ENCRYPTED")) {
        return true;
      }
    }
    return false;
  }

  private static TlsMaterialException encrypted(Names names) {
    return new TlsMaterialException(
        names.key()
            + ": the private key is encrypted (expected: an unencrypted key, as in every"
            + " kubernetes.io/tls Secret; decrypt it with: openssl pkey -in encrypted.key -out "
            + names.key()
            + ")");
  }

  private static TlsMaterialException unsupported(
      String secretKey, PemObject object, String expected) {
    return new TlsMaterialException(
        secretKey
            + ": unsupported PEM object \""
            + object.getType()
            + "\" (expected: "
            + expected
            + ")");
  }

  private static List<PemObject> readPem(String secretKey, String text)
      throws TlsMaterialException {
    List<PemObject> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (PemObject o = parser.readPemObject(); o != null; o = parser.readPemObject()) {
        objects.add(o);
      }
    } catch (IOException | RuntimeException e) {
      // BouncyCastle reports a missing END line with IOException, bad base64 with a
      // RuntimeException: both mean the text is not well-formed PEM.
      throw new TlsMaterialException(secretKey + ": malformed PEM (" + reason(e) + ")", e);
    }
    return objects;
  }

  private static List<String> sanNames(X509Certificate leaf, int generalNameType, Names names)
      throws TlsMaterialException {
    Collection<List<?>> sans;
    try {
      sans = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new TlsMaterialException(
          names.crt() + ": unreadable subjectAltName extension (" + reason(e) + ")", e);
    }
    if (sans == null) {
      return List.of();
    }
    List<String> result = new ArrayList<>();
    for (List<?> name : sans) {
      if (name.size() >= 2
          && name.get(0) instanceof Integer type
          && type == generalNameType
          && name.get(1) instanceof String value) {
        result.add(value.toLowerCase(Locale.ROOT));
      }
    }
    return List.copyOf(result);
  }

  static String subjectOf(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      // A certificate that was decoded or built can always be encoded again.
      throw new IllegalStateException("certificate cannot be encoded", e);
    }
  }

  static String sha256Hex(byte[] bytes) {
    return HEX.formatHex(sha256().digest(bytes));
  }

  private static String chainFingerprint(List<X509Certificate> chain) {
    MessageDigest digest = sha256();
    for (X509Certificate certificate : chain) {
      byte[] der = encoded(certificate);
      // The length prefix keeps the digest of [a, b] different from that of [ab].
      digest.update(Integer.toString(der.length).getBytes(StandardCharsets.US_ASCII));
      digest.update((byte) ':');
      digest.update(der);
    }
    return HEX.formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
