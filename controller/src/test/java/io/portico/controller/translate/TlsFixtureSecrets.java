package io.portico.controller.translate;

import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateGenerator.LeafRequest;
import io.portico.tls.KeyType;
import io.portico.tls.Pem;
import io.portico.tls.TlsKeyPair;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Prints a {@code kubernetes.io/tls} Secret manifest for the translator fixtures, with a
 * certificate valid from a chosen date: fixtures are judged at a fixed time, so their certificates
 * cannot be made with today's date. Not a test; run it from the repository root after {@code mvn -q
 * -pl controller -am test-compile}:
 *
 * <pre>
 * java -cp "controller/target/test-classes:$(cat cp.txt)" \
 *     io.portico.controller.translate.TlsFixtureSecrets NAME HOST KEY_TYPE NOT_BEFORE DAYS
 * </pre>
 *
 * where {@code cp.txt} comes from {@code mvn -q -pl controller dependency:build-classpath
 * -Dmdep.outputFile=cp.txt}, {@code KEY_TYPE} is {@code ec-p256} or {@code rsa-2048} and {@code
 * NOT_BEFORE} an ISO instant.
 */
final class TlsFixtureSecrets {

  private TlsFixtureSecrets() {}

  public static void main(String[] args) {
    if (args.length != 5) {
      throw new IllegalArgumentException(
          "arguments: " + args.length + " (expected: NAME HOST KEY_TYPE NOT_BEFORE DAYS)");
    }
    TlsKeyPair pair =
        CertificateGenerator.selfSigned(
            LeafRequest.builder()
                .commonName(args[1])
                .dnsName(args[1])
                .keyType(KeyType.fromCliName(args[2]))
                .validity(Duration.ofDays(Integer.parseInt(args[4])))
                .build(),
            // The generator starts validity five minutes before "now"; undo that.
            Instant.parse(args[3]).plus(Duration.ofMinutes(5)));
    System.out.print(
        "apiVersion: v1\n"
            + "kind: Secret\n"
            + "metadata: {name: "
            + args[0]
            + ", namespace: default}\n"
            + "type: kubernetes.io/tls\n"
            + "data:\n"
            + "  tls.crt: "
            + base64(Pem.certificates(pair.chain()))
            + "\n"
            + "  tls.key: "
            + base64(Pem.privateKey(pair.privateKey()))
            + "\n");
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
