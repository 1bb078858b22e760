package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ObjectKey;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.KeyPairCache;
import io.portico.tls.TlsKeyPair;
import java.time.Instant;
import java.util.Optional;

/**
 * What translation needs for certificates besides the snapshot.
 *
 * @param defaultSecret {@code --default-tls-secret}: the Secret whose certificate serves handshakes
 *     no host certificate matches; empty for the generated one
 * @param generatedDefault the certificate generated at start-up, served when there is no default
 *     Secret or it cannot be used
 * @param keyPairs parses each Secret version once across translations (a memo of a pure function,
 *     so translation stays pure)
 */
public record TlsInputs(
    Optional<ObjectKey> defaultSecret, TlsKeyPair generatedDefault, KeyPairCache keyPairs) {

  public TlsInputs {
    requireNonNull(defaultSecret, "defaultSecret");
    requireNonNull(generatedDefault, "generatedDefault");
    requireNonNull(keyPairs, "keyPairs");
  }

  /** No default Secret, a certificate generated valid from {@code now}, and a new cache. */
  public static TlsInputs generated(Instant now) {
    return new TlsInputs(
        Optional.empty(), CertificateGenerator.defaultCertificate(now), new KeyPairCache());
  }

  public TlsInputs withDefaultSecret(Optional<ObjectKey> secret) {
    return new TlsInputs(secret, generatedDefault, keyPairs);
  }
}
