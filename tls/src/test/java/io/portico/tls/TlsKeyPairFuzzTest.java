package io.portico.tls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPrivateKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Fuzzes the parsing of {@code kubernetes.io/tls} Secrets, which namespace users write: whatever
 * the text, {@link TlsKeyPair#fromPem} either refuses it with a {@link TlsMaterialException} that
 * names {@code tls.crt} or {@code tls.key}, or returns a pair whose private key signs what the
 * leaf's public key verifies (see docs/security.md, "Fuzzing").
 *
 * <p>Three inputs reach three depths: PEM text as written, the DER of a certificate under a fixed
 * matching key, and the DER of a key under a fixed certificate. The DER seeds are the test fixtures
 * of {@code pem/}, so mutations start from real certificates and keys.
 */
class TlsKeyPairFuzzTest {

  /** The certificate and key fixtures a fuzzed DER is paired with, chosen by the first byte. */
  private static final List<String> CERTIFICATES = List.of("ec.crt", "rsa.crt", "ec-p384.crt");

  private static final List<String> KEYS = List.of("ec-pkcs8.key", "rsa-pkcs1.key");

  private static final List<String> KEY_LABELS =
      List.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY");

  private static final byte[] CHALLENGE = "portico fuzz challenge".getBytes(StandardCharsets.UTF_8);

  /**
   * PEM text: {@code tls.crt}, a NUL character, then {@code tls.key}; without a NUL the same text
   * is both, like a Secret made from one combined file.
   */
  @FuzzTest(maxDuration = "3m")
  void pemTextGivesAMatchingPairOrTheDocumentedError(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int nul = text.indexOf('\0');
    String crt = nul < 0 ? text : text.substring(0, nul);
    String key = nul < 0 ? text : text.substring(nul + 1);
    check(crt, key);
  }

  /** The first byte picks the key (EC P-256 or RSA), the rest is the DER of the certificate. */
  @FuzzTest(maxDuration = "3m")
  void certificateDerGivesAMatchingPairOrTheDocumentedError(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String key = Fixtures.pem(KEYS.get((input[0] & 0xff) % KEYS.size()));
    check(pem("CERTIFICATE", Arrays.copyOfRange(input, 1, input.length)), key);
  }

  /**
   * The first byte picks the certificate and the PEM label of the key, the rest is the DER of the
   * key.
   */
  @FuzzTest(maxDuration = "3m")
  void privateKeyDerGivesAMatchingPairOrTheDocumentedError(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int choice = input[0] & 0xff;
    String crt = Fixtures.pem(CERTIFICATES.get(choice % CERTIFICATES.size()));
    String label = KEY_LABELS.get((choice / CERTIFICATES.size()) % KEY_LABELS.size());
    check(crt, pem(label, Arrays.copyOfRange(input, 1, input.length)));
  }

  private static void check(String crt, String key) {
    TlsKeyPair pair;
    try {
      pair = TlsKeyPair.fromPem(crt, key);
    } catch (TlsMaterialException e) {
      String message = e.getMessage();
      assertTrue(
          message.startsWith("tls.crt: ") || message.startsWith("tls.key: "),
          () -> "message names neither tls.crt nor tls.key: " + message);
      return;
    }
    assertTrue(signs(pair), () -> "accepted a key that does not match its leaf: " + pair);
    for (String name : pair.dnsNames()) {
      assertTrue(name.equals(name.toLowerCase(Locale.ROOT)), name);
    }
  }

  /**
   * Whether a signature made with the pair's key verifies with its leaf's public key. The JDK signs
   * with an RSA key's CRT parts alone, and OpenSSL refuses a key whose private exponent disagrees
   * with them: an RSA key must also sign with its modulus and private exponent alone.
   */
  private static boolean signs(TlsKeyPair pair) {
    PublicKey publicKey = pair.leaf().getPublicKey();
    if (!pair.keyType().equals("RSA")) {
      return signs("SHA256withECDSA", pair.privateKey(), publicKey);
    }
    if (!signs("SHA256withRSA", pair.privateKey(), publicKey)) {
      return false;
    }
    if (!(pair.privateKey() instanceof RSAPrivateCrtKey crt)) {
      return true;
    }
    try {
      PrivateKey plain =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new RSAPrivateKeySpec(crt.getModulus(), crt.getPrivateExponent()));
      return signs("SHA256withRSA", plain, publicKey);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean signs(String algorithm, PrivateKey key, PublicKey publicKey) {
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(CHALLENGE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(CHALLENGE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }
}
