package io.portico.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

/**
 * Whether a private key belongs to a certificate, and when it does not, a message that says which
 * mistake was made: the certificates in the wrong order, or a key of another algorithm or another
 * certificate.
 */
final class KeyMatch {

  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyMatch() {}

  /**
   * Checks that {@code key} belongs to the leaf, the first certificate of {@code chain}.
   *
   * @throws TlsMaterialException naming {@code names.key()}, or {@code names.crt()} when the key
   *     belongs to a later certificate of the chain
   */
  static void check(PrivateKey key, List<X509Certificate> chain, MaterialNames names)
      throws TlsMaterialException {
    if (!matches(key, chain.get(0).getPublicKey())) {
      throw mismatch(key, chain, names);
    }
  }

  /**
   * Whether {@code key} is the private half of {@code publicKey}. RSA compares the modulus and,
   * when the key carries it, the public exponent; otherwise a signature over a random challenge
   * must verify with the public key, which is decisive for every key type.
   */
  static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    if (key instanceof RSAPrivateKey rsaKey && publicKey instanceof RSAPublicKey rsaPublic) {
      if (!rsaKey.getModulus().equals(rsaPublic.getModulus())) {
        return false;
      }
      if (rsaKey instanceof RSAPrivateCrtKey crt) {
        // The JDK signs with the CRT parts alone, and OpenSSL refuses at the first handshake a
        // key whose parts disagree: check them all, as OpenSSL's RSA_check_key does.
        return crt.getPublicExponent().equals(rsaPublic.getPublicExponent()) && isConsistent(crt);
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

  private static TlsMaterialException mismatch(
      PrivateKey key, List<X509Certificate> chain, MaterialNames names) {
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
                + TlsKeyPair.subjectOf(chain.get(i))
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
            + TlsKeyPair.subjectOf(leaf)
            + ")");
  }

  /**
   * Whether the parts of an RSA key agree: {@code n = pq}, {@code ed = 1 mod lcm(p-1, q-1)}, {@code
   * dP = d mod (p-1)}, {@code dQ = d mod (q-1)} and {@code qInv q = 1 mod p}.
   */
  private static boolean isConsistent(RSAPrivateCrtKey key) {
    BigInteger p = key.getPrimeP();
    BigInteger q = key.getPrimeQ();
    if (p.compareTo(BigInteger.TWO) < 0 || q.compareTo(BigInteger.TWO) < 0) {
      return false;
    }
    BigInteger p1 = p.subtract(BigInteger.ONE);
    BigInteger q1 = q.subtract(BigInteger.ONE);
    BigInteger lcm = p1.divide(p1.gcd(q1)).multiply(q1);
    BigInteger d = key.getPrivateExponent();
    return p.multiply(q).equals(key.getModulus())
        && key.getPublicExponent().multiply(d).mod(lcm).equals(BigInteger.ONE)
        && d.mod(p1).equals(key.getPrimeExponentP())
        && d.mod(q1).equals(key.getPrimeExponentQ())
        && q.multiply(key.getCrtCoefficient()).mod(p).equals(BigInteger.ONE);
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
}
