package io.portico.tls;

import static io.portico.tls.Messages.reason;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes the files of {@link Certgen}: each through a temporary file in the same directory that is
 * moved into place, so readers never see half a file, with mode 0600 for private files and 0644 for
 * the others where the file system has POSIX permissions.
 */
final class AtomicFiles {

  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC =
      PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFiles() {}

  /** Writes a file only its owner may read: a key, or a manifest that embeds one. */
  static void writePrivate(Path target, String content) throws CertgenException {
    write(target, content, PRIVATE);
  }

  /** Writes a file anyone may read: a certificate. */
  static void writePublic(Path target, String content) throws CertgenException {
    write(target, content, PUBLIC);
  }

  /**
   * Writes {@code content} to {@code target} through a temporary file created private, so that a
   * private file is never readable by others, not even briefly.
   */
  private static void write(Path target, String content, Set<PosixFilePermission> permissions)
      throws CertgenException {
    Path directory = target.getParent();
    try {
      boolean posix =
          Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class);
      FileAttribute<?>[] attributes =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PRIVATE)}
              : new FileAttribute<?>[0];
      Path temporary =
          Files.createTempFile(directory, "." + target.getFileName(), ".tmp", attributes);
      try {
        Files.writeString(temporary, content, UTF_8);
        if (posix) {
          // Explicit, so the umask neither widens nor narrows the intended mode.
          Files.setPosixFilePermissions(temporary, permissions);
        }
        try {
          Files.move(
              temporary,
              target,
              StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new CertgenException("cannot write " + target + " (" + reason(e) + ")", e);
    }
  }
}
