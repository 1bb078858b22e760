package io.portico.tls;

import static io.portico.tls.Messages.reason;
import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

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

  private static final AtomicLong INSTANCES = new AtomicLong();
  private static final HexFormat HEX = HexFormat.of();

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
  private final @Nullable String source;

  private TlsKeyPair(
      PrivateKey privateKey,
      List<X509Certificate> chain,
      List<String> dnsNames,
      List<String> ipAddresses,
      String keyType) {
    this(privateKey, chain, dnsNames, ipAddresses, keyType, null);
  }

  private TlsKeyPair(
      PrivateKey privateKey,
      List<X509Certificate> chain,
      List<String> dnsNames,
      List<String> ipAddresses,
      String keyType,
      @Nullable String source) {
    this.source = source;
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
    return fromPem(certificateChainPem, privateKeyPem, MaterialNames.SECRET);
  }

  /**
   * {@link #fromPem(String, String)} for files other than a Secret's: messages name {@code crtName}
   * and {@code keyName} (for example {@code ca.crt} and {@code ca.key}).
   */
  static TlsKeyPair fromPem(
      String certificateChainPem, String privateKeyPem, String crtName, String keyName)
      throws TlsMaterialException {
    return fromPem(certificateChainPem, privateKeyPem, new MaterialNames(crtName, keyName));
  }

  private static TlsKeyPair fromPem(
      String certificateChainPem, String privateKeyPem, MaterialNames names)
      throws TlsMaterialException {
    List<X509Certificate> chain = PemReader.certificates(certificateChainPem, names);
    PrivateKey key = PemReader.privateKey(privateKeyPem, names);
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
      return create(privateKey, List.copyOf(chain), MaterialNames.ARGUMENTS);
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

  /**
   * Where the pair was read from, for logs about it (for example the {@code namespace/name} of its
   * Secret); empty when nobody said.
   */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  /**
   * This pair, saying where it was read from (see {@link #source()}): a new object, equal to this
   * one, with its own key-manager alias.
   */
  public TlsKeyPair withSource(String newSource) {
    requireNonNull(newSource, "newSource");
    return new TlsKeyPair(privateKey, chain, dnsNames, ipAddresses, keyType, newSource);
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

  private static TlsKeyPair create(PrivateKey key, List<X509Certificate> chain, MaterialNames names)
      throws TlsMaterialException {
    String keyType = key.getAlgorithm();
    if (!keyType.equals("RSA") && !keyType.equals("EC")) {
      throw new TlsMaterialException(
          names.key() + ": unsupported key algorithm \"" + keyType + "\" (expected: RSA or EC)");
    }
    KeyMatch.check(key, chain, names);
    X509Certificate leaf = chain.get(0);
    return new TlsKeyPair(key, chain, sanNames(leaf, 2, names), sanNames(leaf, 7, names), keyType);
  }

  private static List<String> sanNames(
      X509Certificate leaf, int generalNameType, MaterialNames names) throws TlsMaterialException {
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
}
