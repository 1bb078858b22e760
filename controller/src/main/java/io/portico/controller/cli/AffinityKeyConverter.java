package io.portico.controller.cli;

import io.portico.router.balance.AffinityKey;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --affinity-key-file}: the file's bytes, exactly as they are (the chart mounts 32
 * random bytes from a Secret), are the key. Messages name the file and its size, never its content.
 */
final class AffinityKeyConverter implements ITypeConverter<AffinityKey> {

  @Override
  public AffinityKey convert(String value) {
    byte[] key;
    try {
      key = Files.readAllBytes(Path.of(value));
    } catch (NoSuchFileException e) {
      throw new TypeConversionException(value + ": no such file");
    } catch (AccessDeniedException e) {
      throw new TypeConversionException(value + ": permission denied");
    } catch (IOException e) {
      throw new TypeConversionException(value + ": cannot be read (" + e.getMessage() + ")");
    }
    if (key.length < AffinityKey.MIN_BYTES) {
      throw new TypeConversionException(
          value
              + ": "
              + key.length
              + " bytes (expected: at least "
              + AffinityKey.MIN_BYTES
              + " random bytes, e.g. head -c 32 /dev/urandom > "
              + value
              + ")");
    }
    return AffinityKey.of(key);
  }
}
