package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * One user's password hash as {@code htpasswd} writes it: bcrypt ({@code $2y$}, {@code $2a$},
 * {@code $2b$}; {@code htpasswd -B}), Apache MD5-crypt ({@code $apr1$}; {@code htpasswd -m}, the
 * default) or unsalted SHA-1 ({@code {SHA}}; {@code htpasswd -s}). Other formats (crypt(3), plain
 * text) are not read: a user with one cannot log in.
 *
 * <p>Comparisons take the same time whatever the supplied password ({@link MessageDigest#isEqual}).
 * The stored text is kept for equality only and never logged.
 *
 * @param format which algorithm
 * @param stored the hash as written in the file
 */
public record PasswordHash(Format format, String stored) {

  /** The formats Portico reads. */
  public enum Format {
    /** bcrypt: milliseconds of CPU per check, so never checked on an event loop. */
    BCRYPT,
    APR1,
    SHA1
  }

  public PasswordHash {
    requireNonNull(format, "format");
    requireNonNull(stored, "stored");
  }

  /** What a hash looks like, for messages. */
  public static final String EXPECTED =
      "a hash written by htpasswd: bcrypt ($2y$, htpasswd -B), $apr1$ (htpasswd -m) or {SHA}"
          + " (htpasswd -s)";

  /** The hash of a stored text, or empty when its format is not one Portico reads. */
  public static Optional<PasswordHash> parse(String stored) {
    requireNonNull(stored, "stored");
    if ((stored.startsWith("$2y$") || stored.startsWith("$2a$") || stored.startsWith("$2b$"))
        && stored.length() == 60) {
      return Optional.of(new PasswordHash(Format.BCRYPT, stored));
    }
    if (stored.startsWith(AprMd5Crypt.MAGIC)) {
      int end = stored.indexOf('$', AprMd5Crypt.MAGIC.length());
      if (end > AprMd5Crypt.MAGIC.length() && stored.length() == end + 1 + 22) {
        return Optional.of(new PasswordHash(Format.APR1, stored));
      }
      return Optional.empty();
    }
    if (stored.startsWith("{SHA}") && stored.length() == 5 + 28) {
      return Optional.of(new PasswordHash(Format.SHA1, stored));
    }
    return Optional.empty();
  }

  /** Whether checking costs milliseconds (bcrypt), so that it must run off the event loop. */
  public boolean costly() {
    return format == Format.BCRYPT;
  }

  /** Whether {@code password} (UTF-8, as browsers send it) is the one hashed. */
  public boolean matches(String password) {
    requireNonNull(password, "password");
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    return switch (format) {
      case BCRYPT -> checkBcrypt(password);
      case APR1 -> {
        String salt =
            stored.substring(
                AprMd5Crypt.MAGIC.length(), stored.indexOf('$', AprMd5Crypt.MAGIC.length()));
        yield constantTimeEquals(AprMd5Crypt.hash(bytes, salt), stored);
      }
      case SHA1 ->
          constantTimeEquals("{SHA}" + Base64.getEncoder().encodeToString(sha1(bytes)), stored);
    };
  }

  private boolean checkBcrypt(String password) {
    try {
      return OpenBSDBCrypt.checkPassword(stored, password.toCharArray());
    } catch (IllegalArgumentException e) {
      // A malformed hash (bad cost or salt) matches nothing.
      return false;
    }
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.ISO_8859_1), b.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static byte[] sha1(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }

  /** Never the hash itself: it may end up in a log. */
  @Override
  public String toString() {
    return "PasswordHash[" + format + "]";
  }
}
