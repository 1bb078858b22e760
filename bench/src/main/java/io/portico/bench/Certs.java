package io.portico.bench;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Self-signed ECDSA P-256 certificates for the Secret rotation, made with the openssl CLI. */
final class Certs {

  /** One certificate and key as PEM files, and the serial a client sees. */
  record Cert(Path certFile, Path keyFile, String certPem, String keyPem, BigInteger serial) {
    String certBase64() {
      return Base64.getEncoder().encodeToString(certPem.getBytes(StandardCharsets.US_ASCII));
    }

    String keyBase64() {
      return Base64.getEncoder().encodeToString(keyPem.getBytes(StandardCharsets.US_ASCII));
    }
  }

  private Certs() {}

  static List<Cert> generate(Path dir, String host, int count) throws Exception {
    Files.createDirectories(dir);
    List<Cert> certs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path cert = dir.resolve("cert-" + i + ".crt");
      Path key = dir.resolve("cert-" + i + ".key");
      String out =
          Proc.run(
              30,
              List.of(
                  "openssl",
                  "req",
                  "-x509",
                  "-newkey",
                  "ec",
                  "-pkeyopt",
                  "ec_paramgen_curve:P-256",
                  "-nodes",
                  "-days",
                  "30",
                  "-subj",
                  "/CN=" + host,
                  "-addext",
                  "subjectAltName=DNS:" + host,
                  "-keyout",
                  key.toString(),
                  "-out",
                  cert.toString()));
      if (!Files.exists(cert)) {
        throw new IllegalStateException("openssl failed: " + out);
      }
      String certPem = Files.readString(cert);
      X509Certificate parsed =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(certPem.getBytes(StandardCharsets.US_ASCII)));
      certs.add(new Cert(cert, key, certPem, Files.readString(key), parsed.getSerialNumber()));
    }
    return certs;
  }
}
