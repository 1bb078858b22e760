package io.portico.router.balance;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that makes session cookies opaque: cookie values are HMAC-SHA256 digests keyed with
 * it, so a value never shows an address, and every Portico replica with the same key reads every
 * cookie the same way without sharing any state.
 *
 * <p>Without a key file Portico uses {@link #builtIn()}, whose key is the SHA-256 of the ASCII text
 * {@code portico-affinity}. Its cookies still name no address, but anyone who knows an endpoint's
 * identity (its Pod UID and port, or its address when Kubernetes names no Pod) can compute that
 * endpoint's cookie, and with addresses a small network can be searched. Production installs, and
 * above all several replicas, use a random key shared by all of them ({@code --affinity-key-file}).
 */
public final class AffinityKey {

  /** The shortest key accepted: 128 bits. */
  public static final int MIN_BYTES = 16;

  private static final String ALGORITHM = "HmacSHA256";
  private static final AffinityKey BUILT_IN =
      new AffinityKey(sha256("portico-affinity".getBytes(StandardCharsets.US_ASCII)), true);

  private final SecretKeySpec key;
  private final int length;
  private final boolean builtIn;

  private AffinityKey(byte[] key, boolean builtIn) {
    this.key = new SecretKeySpec(key, ALGORITHM);
    this.length = key.length;
    this.builtIn = builtIn;
  }

  /**
   * A key from secret bytes, such as the 32 random bytes the Helm chart stores in a Secret.
   *
   * @throws IllegalArgumentException when there are fewer than {@value #MIN_BYTES} bytes
   */
  public static AffinityKey of(byte[] key) {
    requireNonNull(key, "key");
    if (key.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "affinity key: "
              + key.length
              + " bytes (expected: at least "
              + MIN_BYTES
              + " random bytes, e.g. from head -c 32 /dev/urandom)");
    }
    return new AffinityKey(Arrays.copyOf(key, key.length), false);
  }

  /** The documented fixed key used when none is configured (see the class comment). */
  public static AffinityKey builtIn() {
    return BUILT_IN;
  }

  /** Whether this is the documented fixed key rather than a configured secret. */
  public boolean isBuiltIn() {
    return builtIn;
  }

  /**
   * A new HMAC-SHA256 instance with this key. A {@link Mac} is not thread-safe: each caller gets
   * its own, and cookie values are computed once per configuration generation, never per request.
   */
  Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }

  /**
   * HMAC-SHA256 of the parts, each UTF-8 encoded and followed by a zero byte, so that no two
   * different lists of parts hash the same text.
   */
  static byte[] digest(Mac mac, String... parts) {
    for (String part : parts) {
      mac.update(part.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
    }
    return mac.doFinal();
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** Never the key itself. */
  @Override
  public String toString() {
    return builtIn ? "AffinityKey[built-in]" : "AffinityKey[" + length + " bytes]";
  }
}
