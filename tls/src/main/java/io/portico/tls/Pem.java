package io.portico.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Writes certificates and private keys as PEM text, the format of {@code kubernetes.io/tls}. */
public final class Pem {

  private Pem() {}

  /**
   * The certificates as consecutive {@code BEGIN CERTIFICATE} blocks, in the given order (for
   * {@code tls.crt}: the leaf first). An empty list gives an empty string.
   */
  public static String certificates(List<X509Certificate> certificates) {
    requireNonNull(certificates, "certificates");
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      for (X509Certificate certificate : certificates) {
        writer.writeObject(
            new PemObject(
                "CERTIFICATE", TlsKeyPair.encoded(requireNonNull(certificate, "certificate"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    return text.toString();
  }

  /** The key as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), which every TLS stack reads. */
  public static String privateKey(PrivateKey privateKey) {
    requireNonNull(privateKey, "privateKey");
    if (!"PKCS#8".equals(privateKey.getFormat()) || privateKey.getEncoded() == null) {
      throw new IllegalArgumentException(
          "privateKey: format " + privateKey.getFormat() + " (expected: an exportable PKCS#8 key)");
    }
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new PemObject("PRIVATE KEY", privateKey.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    return text.toString();
  }
}
