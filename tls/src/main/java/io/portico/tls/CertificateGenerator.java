package io.portico.tls;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.jspecify.annotations.Nullable;

/**
 * Makes certificates with BouncyCastle: self-signed leaves, a small local CA, and leaves signed by
 * it. Leaves carry the serverAuth extended key usage, the CA carries {@code CA:TRUE} basic
 * constraints, and every certificate has subject and authority key identifiers, so that {@code
 * openssl verify}, browsers and curl accept them.
 *
 * <p>Validity starts five minutes before {@code now}, so that clients whose clock is slightly
 * behind do not see a certificate from the future. Generated pairs have a chain of one certificate:
 * a signed leaf's chain does not include its self-signed CA, which clients must already trust (RFC
 * 8446 section 4.4.2 lets a server omit it).
 */
public final class CertificateGenerator {

  /** The subject CN of {@link #defaultCertificate()}. */
  public static final String DEFAULT_COMMON_NAME = "Portico Default Certificate";

  /** The DNS name of {@link #defaultCertificate()}, for clients that read the first DNS SAN. */
  public static final String DEFAULT_DNS_NAME = "ingress.local";

  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final int MAX_COMMON_NAME_LENGTH = 64; // ub-common-name, RFC 5280 appendix A.1
  private static final SecureRandom RANDOM = new SecureRandom();

  private CertificateGenerator() {}

  /**
   * The certificate served when no other matches and no default Secret is configured: self-signed,
   * no chain, CN {@value #DEFAULT_COMMON_NAME}, DNS name {@value #DEFAULT_DNS_NAME}, EC P-256,
   * valid for one year from now.
   */
  public static TlsKeyPair defaultCertificate() {
    return defaultCertificate(Instant.now());
  }

  /** {@link #defaultCertificate()} valid for one year from {@code now}. */
  public static TlsKeyPair defaultCertificate(Instant now) {
    return selfSigned(
        LeafRequest.builder()
            .commonName(DEFAULT_COMMON_NAME)
            .dnsName(DEFAULT_DNS_NAME)
            .keyType(KeyType.EC_P256)
            .validity(Duration.ofDays(365))
            .build(),
        now);
  }

  /**
   * A self-signed CA certificate ({@code CA:TRUE}, path length 0: it signs leaves only) and its
   * key.
   *
   * @throws IllegalArgumentException when the name is empty or the validity not positive
   */
  public static TlsKeyPair certificateAuthority(
      String commonName, KeyType keyType, Duration validity, Instant now) {
    requireNonNull(commonName, "commonName");
    requireNonNull(keyType, "keyType");
    requireNonNull(validity, "validity");
    requireNonNull(now, "now");
    checkCommonName(commonName);
    checkValidity(validity);
    KeyPair keys = generateKeyPair(keyType);
    X500Name subject = name(commonName);
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            serialNumber(),
            Date.from(now.minus(CLOCK_SKEW)),
            Date.from(now.plus(validity)),
            subject,
            keys.getPublic());
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(keys.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          extensions.createAuthorityKeyIdentifier(keys.getPublic()));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build CA extensions", e);
    }
    X509Certificate certificate = sign(builder, keys.getPrivate());
    return TlsKeyPair.of(keys.getPrivate(), List.of(certificate));
  }

  /** A self-signed leaf for the request's names, valid from {@code now}. */
  public static TlsKeyPair selfSigned(LeafRequest request, Instant now) {
    requireNonNull(request, "request");
    requireNonNull(now, "now");
    KeyPair keys = generateKeyPair(request.keyType);
    X500Name subject = name(request.commonName());
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            serialNumber(),
            Date.from(now.minus(CLOCK_SKEW)),
            Date.from(now.plus(request.validity)),
            subject,
            keys.getPublic());
    addLeafExtensions(builder, request, keys.getPublic(), keys.getPublic());
    X509Certificate certificate = sign(builder, keys.getPrivate());
    return TlsKeyPair.of(keys.getPrivate(), List.of(certificate));
  }

  /**
   * A leaf for the request's names signed by {@code ca}, valid from {@code now}. The returned
   * pair's chain is the leaf alone.
   *
   * @throws IllegalArgumentException when {@code ca} is not a CA certificate, or when the leaf
   *     would be valid after the CA expires
   */
  public static TlsKeyPair signedBy(TlsKeyPair ca, LeafRequest request, Instant now) {
    requireNonNull(ca, "ca");
    requireNonNull(request, "request");
    requireNonNull(now, "now");
    if (ca.leaf().getBasicConstraints() < 0) {
      throw new IllegalArgumentException(
          "ca: " + ca.subject() + " is not a CA certificate (expected: basicConstraints CA:TRUE)");
    }
    Instant notAfter = now.plus(request.validity);
    if (notAfter.isAfter(ca.notAfter())) {
      throw new IllegalArgumentException(
          "validity: the leaf would be valid until "
              + notAfter
              + ", after its CA expires on "
              + ca.notAfter()
              + " (expected: a shorter validity or a new CA)");
    }
    KeyPair keys = generateKeyPair(request.keyType);
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            ca.leaf(),
            serialNumber(),
            Date.from(now.minus(CLOCK_SKEW)),
            Date.from(notAfter),
            name(request.commonName()),
            keys.getPublic());
    addLeafExtensions(builder, request, keys.getPublic(), ca.leaf().getPublicKey());
    X509Certificate certificate = sign(builder, ca.privateKey());
    return TlsKeyPair.of(keys.getPrivate(), List.of(certificate));
  }

  private static void addLeafExtensions(
      X509v3CertificateBuilder builder,
      LeafRequest request,
      PublicKey subjectKey,
      PublicKey issuerKey) {
    List<GeneralName> names = new ArrayList<>();
    for (String dnsName : request.dnsNames) {
      names.add(new GeneralName(GeneralName.dNSName, dnsName));
    }
    for (String ip : request.ipAddresses) {
      names.add(new GeneralName(GeneralName.iPAddress, ip));
    }
    int usage = KeyUsage.digitalSignature;
    if (request.keyType.algorithm().equals("RSA")) {
      // TLS 1.2 RSA key exchange encrypts with the certificate's key.
      usage |= KeyUsage.keyEncipherment;
    }
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          extensions.createAuthorityKeyIdentifier(issuerKey));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              request.forClients ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(new GeneralName[0])));
      if (request.ocspResponder != null) {
        builder.addExtension(
            Extension.authorityInfoAccess,
            false,
            new AuthorityInformationAccess(
                AccessDescription.id_ad_ocsp,
                new GeneralName(GeneralName.uniformResourceIdentifier, request.ocspResponder)));
      }
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build leaf extensions", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
    String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    try {
      ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(issuerKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign certificate with " + algorithm, e);
    }
  }

  private static KeyPair generateKeyPair(KeyType keyType) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(keyType.algorithm());
      if (keyType.algorithm().equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      } else {
        generator.initialize(keyType.bits(), RANDOM);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + keyType + " keys", e);
    }
  }

  private static BigInteger serialNumber() {
    // Positive, 127 bits, 126 of them random: unique without coordination (RFC 5280 4.1.2.2).
    return new BigInteger(126, RANDOM).setBit(126);
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static void checkCommonName(String commonName) {
    if (commonName.isBlank() || commonName.length() > MAX_COMMON_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "commonName: \""
              + commonName
              + "\" (expected: 1 to "
              + MAX_COMMON_NAME_LENGTH
              + " characters)");
    }
  }

  private static void checkValidity(Duration validity) {
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity: " + validity + " (expected: positive)");
    }
  }

  /**
   * What a leaf certificate is for: its DNS names (wildcards allowed) and IP addresses, key type,
   * validity and subject CN. Built with {@link #builder()}; at least one name is required.
   */
  public static final class LeafRequest {

    private final @Nullable String commonName;
    private final List<String> dnsNames;
    private final List<String> ipAddresses;
    private final KeyType keyType;
    private final Duration validity;
    private final boolean forClients;
    private final @Nullable String ocspResponder;

    private LeafRequest(Builder builder) {
      this.commonName = builder.commonName;
      this.dnsNames = List.copyOf(builder.dnsNames);
      this.ipAddresses = List.copyOf(builder.ipAddresses);
      this.keyType = builder.keyType;
      this.validity = builder.validity;
      this.forClients = builder.forClients;
      this.ocspResponder = builder.ocspResponder;
    }

    public static Builder builder() {
      return new Builder();
    }

    /** The DNS names, lower-cased, in the order given. */
    public List<String> dnsNames() {
      return dnsNames;
    }

    /** The IP addresses, as given. */
    public List<String> ipAddresses() {
      return ipAddresses;
    }

    public KeyType keyType() {
      return keyType;
    }

    public Duration validity() {
      return validity;
    }

    /**
     * Whether the certificate is for a client to authenticate with (extended key usage {@code
     * clientAuth}) rather than for a server ({@code serverAuth}).
     */
    public boolean forClients() {
      return forClients;
    }

    /**
     * The OCSP responder URL written in the certificate's Authority Information Access, or empty
     * for none.
     */
    public java.util.Optional<String> ocspResponder() {
      return java.util.Optional.ofNullable(ocspResponder);
    }

    /**
     * The subject CN: the one set, else the first DNS name, else the first IP address. A first name
     * longer than the 64 characters a CN may hold gives {@code "Portico certgen"}.
     */
    public String commonName() {
      if (commonName != null) {
        return commonName;
      }
      String first = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
      return first.length() <= MAX_COMMON_NAME_LENGTH ? first : "Portico certgen";
    }

    /** Collects a {@link LeafRequest}; defaults: EC P-256, 365 days. */
    public static final class Builder {

      private @Nullable String commonName;
      private final List<String> dnsNames = new ArrayList<>();
      private final List<String> ipAddresses = new ArrayList<>();
      private KeyType keyType = KeyType.EC_P256;
      private Duration validity = Duration.ofDays(365);
      private boolean forClients;
      private @Nullable String ocspResponder;

      private Builder() {}

      /**
       * Names an OCSP responder in the certificate's Authority Information Access extension, as a
       * CA does for the certificates whose status it publishes.
       *
       * @throws IllegalArgumentException when {@code url} is not an absolute {@code http} URL
       */
      public Builder ocspResponder(String url) {
        requireNonNull(url, "url");
        java.net.URI uri;
        try {
          uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
          throw new IllegalArgumentException(
              "ocspResponder: \"" + url + "\" (expected: an http:// URL)", e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
          throw new IllegalArgumentException(
              "ocspResponder: \"" + url + "\" (expected: an http:// URL)");
        }
        this.ocspResponder = url;
        return this;
      }

      /**
       * Makes a client certificate (extended key usage {@code clientAuth}, not {@code serverAuth}).
       */
      public Builder forClients() {
        this.forClients = true;
        return this;
      }

      /**
       * Sets the subject CN; clients ignore it for host names, which come from the DNS names only.
       */
      public Builder commonName(String commonName) {
        requireNonNull(commonName, "commonName");
        checkCommonName(commonName);
        this.commonName = commonName;
        return this;
      }

      /**
       * Adds a DNS name: RFC 1123 labels, optionally one leading {@code *.} label.
       *
       * @throws IllegalArgumentException saying what is wrong with an invalid name
       */
      public Builder dnsName(String dnsName) {
        requireNonNull(dnsName, "dnsName");
        String name = dnsName.toLowerCase(Locale.ROOT);
        String problem = HostNames.problem(name);
        if (problem != null) {
          throw new IllegalArgumentException("dnsName: \"" + dnsName + "\": " + problem);
        }
        dnsNames.add(name);
        return this;
      }

      /** Adds DNS names; see {@link #dnsName}. */
      public Builder dnsNames(List<String> names) {
        requireNonNull(names, "names").forEach(this::dnsName);
        return this;
      }

      /**
       * Adds an IPv4 or IPv6 address literal.
       *
       * @throws IllegalArgumentException when {@code ip} is not an address literal
       */
      public Builder ipAddress(String ip) {
        requireNonNull(ip, "ip");
        if (!IPAddress.isValid(ip)) {
          throw new IllegalArgumentException(
              "ipAddress: \"" + ip + "\" (expected: an IPv4 or IPv6 address such as 127.0.0.1)");
        }
        ipAddresses.add(ip);
        return this;
      }

      /** Adds IP addresses; see {@link #ipAddress}. */
      public Builder ipAddresses(List<String> ips) {
        requireNonNull(ips, "ips").forEach(this::ipAddress);
        return this;
      }

      public Builder keyType(KeyType keyType) {
        this.keyType = requireNonNull(keyType, "keyType");
        return this;
      }

      /** Sets how long the certificate is valid from {@code now}; positive. */
      public Builder validity(Duration validity) {
        requireNonNull(validity, "validity");
        checkValidity(validity);
        this.validity = validity;
        return this;
      }

      /**
       * @throws IllegalArgumentException when there is neither a DNS name nor an IP address
       */
      public LeafRequest build() {
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
          throw new IllegalArgumentException(
              "names: none (expected: at least one DNS name or IP address)");
        }
        return new LeafRequest(this);
      }
    }
  }
}
