package io.portico.tls;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The local CA of a {@link Certgen} directory, kept as {@code ca.crt} and {@code ca.key}: created
 * on the first run, reused afterwards, so users trust one CA ({@code curl --cacert ca.crt}) for
 * every certificate they make. A reused CA must be a CA certificate, unexpired, with its key; it is
 * never overwritten.
 *
 * <p>The CA is self-signed and signs leaves directly: a trust anchor that clients must already
 * have, so a leaf's {@code tls.crt} does not carry it (sending it adds bytes to every handshake and
 * proves nothing; RFC 8446 section 4.4.2 and RFC 5246 section 7.4.2 let servers omit it).
 */
final class LocalCa {

  /** The least days a created CA is valid for (longer when the leaf is). */
  static final int MIN_DAYS = 3650;

  static final String CERTIFICATE_FILE = "ca.crt";
  static final String KEY_FILE = "ca.key";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final TlsKeyPair pair;
  private final Path certificateFile;
  private final Path keyFile;
  private final boolean created;

  private LocalCa(TlsKeyPair pair, Path certificateFile, Path keyFile, boolean created) {
    this.pair = pair;
    this.certificateFile = certificateFile;
    this.keyFile = keyFile;
    this.created = created;
  }

  /**
   * The CA of {@code directory}, or a new one valid from {@code now} for at least {@link #MIN_DAYS}
   * and at least {@code leafDays}, not written yet (see {@link #writeIfCreated}).
   *
   * @throws CertgenException when only one of the files exists, or the CA in them is unreadable, no
   *     CA, or expired
   */
  static LocalCa loadOrCreate(Path directory, KeyType keyType, int leafDays, Instant now)
      throws CertgenException {
    Path certificateFile = directory.resolve(CERTIFICATE_FILE);
    Path keyFile = directory.resolve(KEY_FILE);
    TlsKeyPair existing = load(certificateFile, keyFile, now);
    if (existing != null) {
      return new LocalCa(existing, certificateFile, keyFile, false);
    }
    TlsKeyPair created =
        CertificateGenerator.certificateAuthority(
            commonName(now), keyType, Duration.ofDays(Math.max(MIN_DAYS, leafDays)), now);
    return new LocalCa(created, certificateFile, keyFile, true);
  }

  /** The CA's certificate and key. */
  TlsKeyPair pair() {
    return pair;
  }

  /** {@code ca.crt}. */
  Path certificateFile() {
    return certificateFile;
  }

  /** Whether this run created the CA. */
  boolean created() {
    return created;
  }

  /**
   * Checks that a leaf valid for {@code days} from {@code now} ends before the CA does.
   *
   * @throws CertgenException saying how many days the CA still allows
   */
  void checkOutlives(int days, Instant now) throws CertgenException {
    Instant leafEnd = now.plus(Duration.ofDays(days));
    if (leafEnd.isAfter(pair.notAfter())) {
      long maxDays = Duration.between(now, pair.notAfter()).toDays();
      throw new CertgenException(
          "days: "
              + days
              + " would outlive the CA in "
              + certificateFile
              + ", which expires on "
              + pair.notAfter()
              + " (expected: at most "
              + maxDays
              + ")");
    }
  }

  /** Writes {@code ca.key} (mode 0600), then {@code ca.crt}, when this run created the CA. */
  void writeIfCreated() throws CertgenException {
    if (created) {
      AtomicFiles.writePrivate(keyFile, Pem.privateKey(pair.privateKey()));
      AtomicFiles.writePublic(certificateFile, Pem.certificates(pair.chain()));
    }
  }

  /** The CA in the directory, {@code null} when there is none yet. */
  private static @Nullable TlsKeyPair load(Path certificateFile, Path keyFile, Instant now)
      throws CertgenException {
    boolean hasCertificate = Files.exists(certificateFile);
    boolean hasKey = Files.exists(keyFile);
    if (!hasCertificate && !hasKey) {
      return null;
    }
    if (hasCertificate != hasKey) {
      Path present = hasCertificate ? certificateFile : keyFile;
      Path missing = hasCertificate ? keyFile : certificateFile;
      throw new CertgenException(
          missing.getFileName()
              + ": "
              + missing
              + " is missing but "
              + present
              + " exists (expected: both, to reuse the CA, or neither, to create one)");
    }
    TlsKeyPair ca;
    try {
      ca =
          TlsKeyPair.fromPem(
              Files.readString(certificateFile, UTF_8),
              Files.readString(keyFile, UTF_8),
              CERTIFICATE_FILE,
              KEY_FILE);
    } catch (IOException e) {
      throw new CertgenException("ca: cannot read " + certificateFile + " or " + keyFile, e);
    } catch (TlsMaterialException e) {
      throw new CertgenException(e.getMessage() + " (in " + certificateFile.getParent() + ")", e);
    }
    if (ca.leaf().getBasicConstraints() < 0) {
      throw new CertgenException(
          "ca.crt: "
              + certificateFile
              + " is not a CA certificate (subject "
              + ca.subject()
              + "; expected: basicConstraints CA:TRUE)");
    }
    if (now.isAfter(ca.notAfter())) {
      throw new CertgenException(
          "ca.crt: the CA in "
              + certificateFile
              + " expired on "
              + ca.notAfter()
              + " (expected: a valid CA; move ca.crt and ca.key away to create a new one)");
    }
    return ca;
  }

  private static String commonName(Instant now) {
    // A distinct name per CA, so that two local CAs trusted side by side are never confused.
    byte[] suffix = new byte[3];
    RANDOM.nextBytes(suffix);
    return "Portico certgen CA "
        + LocalDate.ofInstant(now, ZoneOffset.UTC)
        + " "
        + HexFormat.of().formatHex(suffix);
  }
}
