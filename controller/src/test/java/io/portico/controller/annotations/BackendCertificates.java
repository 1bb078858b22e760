package io.portico.controller.annotations;

import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateGenerator.LeafRequest;
import io.portico.tls.KeyType;
import io.portico.tls.Pem;
import io.portico.tls.TlsKeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Certificates for tests of TLS to backends: a CA, a backend certificate it signs for {@code
 * backend.test}, a client certificate for Portico, and an unrelated CA. Made once.
 */
final class BackendCertificates {

  static final Instant NOW = Instant.now();
  static final TlsKeyPair CA =
      CertificateGenerator.certificateAuthority(
          "Backend Test CA", KeyType.EC_P256, Duration.ofDays(30), NOW);
  static final TlsKeyPair OTHER_CA =
      CertificateGenerator.certificateAuthority(
          "Other Test CA", KeyType.EC_P256, Duration.ofDays(30), NOW);
  static final TlsKeyPair BACKEND = CertificateGenerator.signedBy(CA, leaf("backend.test"), NOW);
  // Self-signed: the generator's leaves are for servers only (extended key usage serverAuth), so a
  // backend trusts this one directly.
  static final TlsKeyPair CLIENT = CertificateGenerator.selfSigned(leaf("portico.client"), NOW);

  private BackendCertificates() {}

  private static LeafRequest leaf(String name) {
    return LeafRequest.builder()
        .commonName(name)
        .dnsName(name)
        .keyType(KeyType.EC_P256)
        .validity(Duration.ofDays(20))
        .build();
  }

  /** The certificate of {@code pair} as PEM (its chain, leaf first). */
  static String certificate(TlsKeyPair pair) {
    return Pem.certificates(pair.chain());
  }

  /** The leaf certificate alone. */
  static String leafOnly(TlsKeyPair pair) {
    return Pem.certificates(List.of(pair.leaf()));
  }

  /** The private key of {@code pair} as PKCS#8 PEM. */
  static String key(TlsKeyPair pair) {
    return Pem.privateKey(pair.privateKey());
  }
}
