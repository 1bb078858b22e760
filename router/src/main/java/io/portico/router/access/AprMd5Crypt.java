package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Apache's MD5-crypt ({@code $apr1$}), what {@code htpasswd -m} (its default) writes: Poul-Henning
 * Kamp's FreeBSD MD5-crypt with Apache's magic, 1000 rounds of MD5 over the password and a salt of
 * up to 8 characters. Weak by today's standards (use bcrypt, {@code htpasswd -B}), but read so that
 * existing files move over.
 */
final class AprMd5Crypt {

  /** The prefix of a hash. */
  static final String MAGIC = "$apr1$";

  private static final String ITOA64 =
      "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private AprMd5Crypt() {}

  /**
   * The hash of {@code password} with {@code salt}, as {@code htpasswd} writes it: {@code
   * $apr1$SALT$HASH}.
   *
   * @param salt at most 8 characters are used, as the original does
   */
  static String hash(byte[] password, String salt) {
    requireNonNull(password, "password");
    requireNonNull(salt, "salt");
    String usedSalt = salt.length() > 8 ? salt.substring(0, 8) : salt;
    byte[] saltBytes = usedSalt.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] magic = MAGIC.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    MessageDigest context = md5();
    context.update(password);
    context.update(magic);
    context.update(saltBytes);

    MessageDigest alternate = md5();
    alternate.update(password);
    alternate.update(saltBytes);
    alternate.update(password);
    byte[] alternateSum = alternate.digest();
    for (int left = password.length; left > 0; left -= 16) {
      context.update(alternateSum, 0, Math.min(left, 16));
    }
    for (int bits = password.length; bits != 0; bits >>>= 1) {
      if ((bits & 1) != 0) {
        context.update((byte) 0);
      } else {
        context.update(password[0]);
      }
    }
    byte[] sum = context.digest();

    for (int round = 0; round < 1000; round++) {
      MessageDigest step = md5();
      if ((round & 1) != 0) {
        step.update(password);
      } else {
        step.update(sum);
      }
      if (round % 3 != 0) {
        step.update(saltBytes);
      }
      if (round % 7 != 0) {
        step.update(password);
      }
      if ((round & 1) != 0) {
        step.update(sum);
      } else {
        step.update(password);
      }
      sum = step.digest();
    }

    StringBuilder text = new StringBuilder(MAGIC.length() + usedSalt.length() + 1 + 22);
    text.append(MAGIC).append(usedSalt).append('$');
    encode(text, sum[0], sum[6], sum[12], 4);
    encode(text, sum[1], sum[7], sum[13], 4);
    encode(text, sum[2], sum[8], sum[14], 4);
    encode(text, sum[3], sum[9], sum[15], 4);
    encode(text, sum[4], sum[10], sum[5], 4);
    encode(text, (byte) 0, (byte) 0, sum[11], 2);
    return text.toString();
  }

  private static void encode(StringBuilder text, byte high, byte middle, byte low, int chars) {
    int value = ((high & 0xff) << 16) | ((middle & 0xff) << 8) | (low & 0xff);
    for (int i = 0; i < chars; i++) {
      text.append(ITOA64.charAt(value & 0x3f));
      value >>>= 6;
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every Java platform", e);
    }
  }
}
