package io.portico.tls;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The key types Portico generates, by the names the {@code certgen} command accepts. EC P-256 is
 * the default: about as strong as RSA-3072 (NIST SP 800-57 part 1, table 2) and much cheaper in
 * handshakes.
 */
public enum KeyType {
  EC_P256("ec-p256", "EC", 256),
  RSA_2048("rsa-2048", "RSA", 2048),
  RSA_4096("rsa-4096", "RSA", 4096);

  private final String cliName;
  private final String algorithm;
  private final int bits;

  KeyType(String cliName, String algorithm, int bits) {
    this.cliName = cliName;
    this.algorithm = algorithm;
    this.bits = bits;
  }

  /** The name on the command line, for example {@code ec-p256}. */
  public String cliName() {
    return cliName;
  }

  /** The JCA key algorithm: {@code "EC"} or {@code "RSA"}, as {@link TlsKeyPair#keyType()}. */
  public String algorithm() {
    return algorithm;
  }

  /** The key size in bits (the curve size for EC). */
  public int bits() {
    return bits;
  }

  /**
   * The key type with this command-line name.
   *
   * @throws IllegalArgumentException naming the accepted values when {@code cliName} is unknown
   */
  public static KeyType fromCliName(String cliName) {
    requireNonNull(cliName, "cliName");
    for (KeyType type : values()) {
      if (type.cliName.equals(cliName)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "key type: \"" + cliName + "\" (expected: one of " + cliNames() + ")");
  }

  /** The accepted command-line names, comma-separated, in declaration order. */
  public static String cliNames() {
    return Arrays.stream(values()).map(KeyType::cliName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return cliName;
  }
}
