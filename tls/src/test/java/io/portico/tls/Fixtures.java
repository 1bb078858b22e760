package io.portico.tls;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Test material: the openssl-made PEM files under {@code pem/} and generated EC pairs. */
final class Fixtures {

  /** A fixed instant for generated certificates, so that tests do not depend on the clock. */
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  /** The text of {@code pem/<name>} from the test resources. */
  static String pem(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/pem/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource pem/" + name);
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses {@code pem/<crt>} and {@code pem/<key>}. */
  static TlsKeyPair pair(String crt, String key) {
    try {
      return TlsKeyPair.fromPem(pem(crt), pem(key));
    } catch (TlsMaterialException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** A self-signed EC P-256 pair for these DNS names, valid for a year from {@link #NOW}. */
  static TlsKeyPair ec(String... dnsNames) {
    return CertificateGenerator.selfSigned(
        CertificateGenerator.LeafRequest.builder()
            .dnsNames(List.of(dnsNames))
            .validity(Duration.ofDays(365))
            .build(),
        NOW);
  }
}
