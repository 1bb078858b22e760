package io.portico.router.balance;

import java.util.Arrays;
import java.util.Base64;

/**
 * The text of affinity cookie values: base64url without padding (RFC 4648 section 5), whose
 * alphabet ({@code A-Z a-z 0-9 - _}) needs no quoting in a cookie and never contains {@code =},
 * {@code ;} or spaces.
 */
final class CookieValues {

  /** The characters of a 64-bit session key: 64 bits in 6-bit characters, the last one padded. */
  static final int SESSION_CHARS = 11;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
  private static final byte[] SEXTET = new byte[128];

  static {
    Arrays.fill(SEXTET, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      SEXTET[ALPHABET[i]] = (byte) i;
    }
  }

  private CookieValues() {}

  /** The first {@code length} bytes, base64url without padding. */
  static String encode(byte[] bytes, int length) {
    return ENCODER.encodeToString(Arrays.copyOf(bytes, length));
  }

  /**
   * A session key as {@value #SESSION_CHARS} characters: exactly what base64url gives for its 8
   * big-endian bytes, computed without allocating anything but the string.
   */
  static String encodeSession(long session) {
    char[] out = new char[SESSION_CHARS];
    for (int i = 0; i < SESSION_CHARS - 1; i++) {
      out[i] = ALPHABET[(int) (session >>> (58 - 6 * i)) & 63];
    }
    out[SESSION_CHARS - 1] = ALPHABET[(int) (session & 0xF) << 2];
    return new String(out);
  }

  /**
   * Whether {@code text} holds a session key at {@code from}: {@value #SESSION_CHARS} alphabet
   * characters, the last with its two padding bits clear (so each key has one spelling).
   */
  static boolean isSession(String text, int from) {
    if (from + SESSION_CHARS > text.length()) {
      return false;
    }
    for (int i = 0; i < SESSION_CHARS; i++) {
      if (sextet(text.charAt(from + i)) < 0) {
        return false;
      }
    }
    return (sextet(text.charAt(from + SESSION_CHARS - 1)) & 3) == 0;
  }

  /** The session key at {@code from}, which {@link #isSession} has accepted. */
  static long decodeSession(String text, int from) {
    long session = 0;
    for (int i = 0; i < SESSION_CHARS - 1; i++) {
      session = (session << 6) | sextet(text.charAt(from + i));
    }
    return (session << 4) | (sextet(text.charAt(from + SESSION_CHARS - 1)) >>> 2);
  }

  private static int sextet(char c) {
    return c < 128 ? SEXTET[c] : -1;
  }
}
