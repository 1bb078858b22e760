package io.portico.tls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertgenTest {

  // The real clock: openssl verifies against the current time.
  private static final Instant NOW = Instant.now();

  @TempDir Path dir;

  @Test
  void selfSignedEcPassesOpenssl() throws Exception {
    Certgen.Result result =
        Certgen.builder()
            .host("app.test")
            .host("*.App.test")
            .ip("127.0.0.1")
            .outputDirectory(dir)
            .build()
            .run(NOW);

    assertEquals(dir.resolve("tls.crt"), result.certificateFile());
    assertNull(result.ca());
    String text = OpenSsl.ok(dir, "x509", "-noout", "-text", "-in", "tls.crt");
    assertTrue(text.contains("DNS:app.test, DNS:*.app.test, IP Address:127.0.0.1"), text);
    assertTrue(text.contains("TLS Web Server Authentication"), text);
    assertTrue(text.contains("ecdsa-with-SHA256"), text);
    assertOk(
        OpenSsl.ok(
            dir, "verify", "-CAfile", "tls.crt", "-verify_hostname", "a.app.test", "tls.crt"));
    assertKeyMatchesCertificate();
    assertModes();
    assertSecret("default", "app-test-tls");
  }

  @Test
  void caSignedRsaPassesOpensslAndTheCaIsReused() throws Exception {
    Certgen.Result first =
        Certgen.builder()
            .host("app.test")
            .host("*.app.test")
            .keyType(KeyType.RSA_2048)
            .useCa(true)
            .namespace("shop")
            .secretName("web-tls")
            .outputDirectory(dir)
            .build()
            .run(NOW);

    assertTrue(first.caCreated());
    assertEquals("RSA", first.leaf().keyType());
    String text = OpenSsl.ok(dir, "x509", "-noout", "-text", "-in", "tls.crt");
    assertTrue(text.contains("DNS:app.test, DNS:*.app.test"), text);
    assertTrue(text.contains("sha256WithRSAEncryption"), text);
    assertTrue(OpenSsl.ok(dir, "x509", "-noout", "-text", "-in", "ca.crt").contains("CA:TRUE"));
    assertOk(OpenSsl.ok(dir, "verify", "-CAfile", "ca.crt", "tls.crt"));
    assertOk(
        OpenSsl.ok(
            dir, "verify", "-CAfile", "ca.crt", "-verify_hostname", "x.app.test", "tls.crt"));
    OpenSsl.Output wrongHost =
        OpenSsl.run(
            dir, "verify", "-CAfile", "ca.crt", "-verify_hostname", "a.b.app.test", "tls.crt");
    assertNotEquals(0, wrongHost.exitCode(), wrongHost.text());
    assertEquals(
        1, countCertificates(Files.readString(dir.resolve("tls.crt"))), "leaf only, no root");
    assertKeyMatchesCertificate();
    assertModes();
    assertEquals("rw-------", mode("ca.key"));
    assertSecret("shop", "web-tls");

    byte[] caBefore = Files.readAllBytes(dir.resolve("ca.crt"));
    Certgen.Result second =
        Certgen.builder()
            .host("other.test")
            .useCa(true)
            .force(true)
            .outputDirectory(dir)
            .build()
            .run(NOW);

    assertFalse(second.caCreated());
    assertEquals(first.ca(), second.ca());
    assertArrayEquals(caBefore, Files.readAllBytes(dir.resolve("ca.crt")));
    assertOk(
        OpenSsl.ok(
            dir, "verify", "-CAfile", "ca.crt", "-verify_hostname", "other.test", "tls.crt"));
    assertTrue(second.summary().contains("(reused, CN=Portico certgen CA "), second.summary());
    assertTrue(second.summary().contains(first.ca().fingerprint()), second.summary());
  }

  @Test
  void caSignedEcPassesOpenssl() throws Exception {
    Certgen.builder().host("ec.test").ip("::1").useCa(true).outputDirectory(dir).build().run(NOW);

    String text = OpenSsl.ok(dir, "x509", "-noout", "-text", "-in", "tls.crt");
    assertTrue(text.contains("DNS:ec.test, IP Address:0:0:0:0:0:0:0:1"), text);
    assertOk(OpenSsl.ok(dir, "verify", "-CAfile", "ca.crt", "-verify_ip", "::1", "tls.crt"));
    assertKeyMatchesCertificate();
  }

  @Test
  void refusesToOverwriteWithoutForce() throws Exception {
    Certgen certgen = Certgen.builder().host("app.test").outputDirectory(dir).build();
    certgen.run(NOW);
    byte[] before = Files.readAllBytes(dir.resolve("tls.crt"));

    CertgenException e = assertThrows(CertgenException.class, () -> certgen.run(NOW));

    assertEquals(
        "refusing to overwrite "
            + dir.resolve("tls.crt")
            + " (use --force to replace tls.crt, tls.key and secret.yaml)",
        e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("tls.crt")));
  }

  @Test
  void refusesWhenOnlyTheSecretExists() throws Exception {
    Files.writeString(dir.resolve("secret.yaml"), "mine");

    CertgenException e =
        assertThrows(
            CertgenException.class,
            () -> Certgen.builder().host("app.test").outputDirectory(dir).build().run(NOW));

    assertTrue(e.getMessage().startsWith("refusing to overwrite " + dir.resolve("secret.yaml")));
    assertFalse(Files.exists(dir.resolve("tls.key")), "nothing written");
  }

  @Test
  void forceOverwrites() throws Exception {
    Certgen.builder().host("app.test").outputDirectory(dir).build().run(NOW);
    byte[] before = Files.readAllBytes(dir.resolve("tls.crt"));

    Certgen.builder().host("app.test").force(true).outputDirectory(dir).build().run(NOW);

    assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("tls.crt"))));
    assertKeyMatchesCertificate();
    assertModes();
  }

  @ParameterizedTest(name = "--host \"{0}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "a_b.test   | host \"a_b.test\": label \"a_b\" has characters other than letters, digits"
            + " and '-' (RFC 1123)",
        "a.*.test   | host \"a.*.test\": '*' is allowed only as the whole first label, as in"
            + " *.example.com",
        "*.*.test   | host \"*.*.test\": '*' is allowed only as the whole first label, as in"
            + " *.example.com",
        "a*.test    | host \"a*.test\": '*' is allowed only as the whole first label, as in"
            + " *.example.com",
        "10.0.0.1   | host \"10.0.0.1\": an IP address (expected: a DNS name; give IP addresses"
            + " with --ip)",
        "::1        | host \"::1\": an IP address (expected: a DNS name; give IP addresses with"
            + " --ip)",
        "-app.test  | host \"-app.test\": label \"-app\" starts or ends with '-' (RFC 1123)",
        "a..test    | host \"a..test\": has an empty label (expected: labels separated by single"
            + " dots)",
        "app.test.  | host \"app.test.\": has an empty label (expected: labels separated by single"
            + " dots)",
        "''         | host \"\": empty (expected: a DNS name such as app.example.com)",
      })
  void invalidHostNamesAreRejected(String host, String message) {
    CertgenException e =
        assertThrows(
            CertgenException.class,
            () -> Certgen.builder().host(host).outputDirectory(dir).build().run(NOW));

    assertEquals(message, e.getMessage());
    assertFalse(Files.exists(dir.resolve("tls.crt")));
  }

  @Test
  void longLabelIsRejected() {
    String host = "a".repeat(64) + ".test";
    CertgenException e =
        assertThrows(
            CertgenException.class,
            () -> Certgen.builder().host(host).outputDirectory(dir).build().run(NOW));
    assertEquals(
        "host \"" + host + "\": label \"" + "a".repeat(64) + "\" is longer than 63 characters",
        e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ip 1.2.3      | ip \"1.2.3\": not an IP address (expected: an IPv4 or IPv6 address such as"
            + " 127.0.0.1 or ::1)",
        "no names      | no host names or IP addresses (expected: at least one --host or --ip)",
        "days 0        | days: 0 (expected: 1 to 36500)",
        "days 36501    | days: 36501 (expected: 1 to 36500)",
        "namespace     | namespace: \"Shop\" (expected: a Kubernetes namespace name: at most 63"
            + " lower-case letters, digits and '-', starting and ending with a letter or digit)",
        "secret name   | secret name: \"Web_TLS\" (expected: a Kubernetes object name: at most 253"
            + " lower-case letters, digits, '-' and '.', starting and ending with a letter or"
            + " digit)",
      })
  void invalidOptionsAreRejected(String option, String message) {
    Certgen.Builder builder = Certgen.builder().outputDirectory(dir);
    switch (option.strip()) {
      case "ip 1.2.3" -> builder.ip("1.2.3");
      case "no names" -> {}
      case "days 0" -> builder.host("a.test").days(0);
      case "days 36501" -> builder.host("a.test").days(36501);
      case "namespace" -> builder.host("a.test").namespace("Shop");
      case "secret name" -> builder.host("a.test").secretName("Web_TLS");
      default -> throw new IllegalArgumentException(option);
    }

    CertgenException e = assertThrows(CertgenException.class, () -> builder.build().run(NOW));
    assertEquals(message, e.getMessage());
  }

  @Test
  void halfACaIsAnError() throws Exception {
    Files.writeString(dir.resolve("ca.crt"), "left over");

    CertgenException e =
        assertThrows(
            CertgenException.class,
            () ->
                Certgen.builder().host("a.test").useCa(true).outputDirectory(dir).build().run(NOW));

    assertEquals(
        "ca.key: "
            + dir.resolve("ca.key")
            + " is missing but "
            + dir.resolve("ca.crt")
            + " exists (expected: both, to reuse the CA, or neither, to create one)",
        e.getMessage());
  }

  @Test
  void unusableCaSaysWhichFile() throws Exception {
    TlsKeyPair leaf = Fixtures.ec("not-a-ca.test");
    Files.writeString(dir.resolve("ca.crt"), Pem.certificates(leaf.chain()));
    Files.writeString(dir.resolve("ca.key"), Pem.privateKey(Fixtures.ec("x.test").privateKey()));

    CertgenException mismatch =
        assertThrows(
            CertgenException.class,
            () ->
                Certgen.builder().host("a.test").useCa(true).outputDirectory(dir).build().run(NOW));
    assertTrue(
        mismatch.getMessage().startsWith("ca.key: private key does not match the certificate"),
        mismatch.getMessage());

    Files.writeString(dir.resolve("ca.key"), Pem.privateKey(leaf.privateKey()));
    CertgenException notCa =
        assertThrows(
            CertgenException.class,
            () ->
                Certgen.builder().host("a.test").useCa(true).outputDirectory(dir).build().run(NOW));
    assertTrue(notCa.getMessage().contains("is not a CA certificate"), notCa.getMessage());
  }

  @Test
  void leafThatWouldOutliveAReusedCaIsRefused() throws Exception {
    Certgen.builder().host("a.test").useCa(true).outputDirectory(dir).build().run(NOW);

    CertgenException e =
        assertThrows(
            CertgenException.class,
            () ->
                Certgen.builder()
                    .host("b.test")
                    .days(20_000)
                    .useCa(true)
                    .force(true)
                    .outputDirectory(dir)
                    .build()
                    .run(NOW));
    assertTrue(e.getMessage().startsWith("days: 20000 would outlive the CA in "), e.getMessage());
  }

  @Test
  void outputDirectoryIsCreated() throws Exception {
    Path nested = dir.resolve("a/b");
    Certgen.builder().host("app.test").outputDirectory(nested).build().run(NOW);
    assertTrue(Files.exists(nested.resolve("tls.key")));

    Path file = Files.writeString(dir.resolve("plain"), "x");
    CertgenException e =
        assertThrows(
            CertgenException.class,
            () -> Certgen.builder().host("app.test").outputDirectory(file).build().run(NOW));
    assertEquals("out: " + file + " is not a directory", e.getMessage());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "app.test,         app-test-tls",
    "*.example.com,    wildcard-example-com-tls",
    "127.0.0.1,        127-0-0-1-tls",
    "::1,              1-tls",
    "WWW.Example.COM,  www-example-com-tls",
  })
  void defaultSecretNames(String firstName, String secretName) {
    assertEquals(secretName, SecretManifest.defaultName(firstName));
  }

  private void assertKeyMatchesCertificate() throws Exception {
    String fromKey = OpenSsl.ok(dir, "pkey", "-in", "tls.key", "-pubout");
    String fromCertificate = OpenSsl.ok(dir, "x509", "-in", "tls.crt", "-pubkey", "-noout");
    assertEquals(fromCertificate, fromKey);
    assertTrue(Files.readString(dir.resolve("tls.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
  }

  private void assertModes() throws Exception {
    assertEquals("rw-------", mode("tls.key"));
    assertEquals("rw-------", mode("secret.yaml"));
    assertEquals("rw-r--r--", mode("tls.crt"));
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of(),
          files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(),
          "no temporary files left");
    }
  }

  private String mode(String file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file)));
  }

  /** Reads secret.yaml line by line (tls has no YAML library; the format is fixed). */
  private void assertSecret(String namespace, String name) throws Exception {
    List<String> lines = Files.readAllLines(dir.resolve("secret.yaml"));
    Map<String, String> fields =
        lines.stream()
            .filter(l -> !l.startsWith("#") && l.contains(": "))
            .collect(
                Collectors.toMap(
                    l -> l.substring(0, l.indexOf(": ")).strip(),
                    l -> l.substring(l.indexOf(": ") + 2)));
    assertTrue(lines.contains("apiVersion: v1"), lines.toString());
    assertTrue(lines.contains("kind: Secret"), lines.toString());
    assertTrue(lines.contains("type: kubernetes.io/tls"), lines.toString());
    assertEquals("\"" + name + "\"", fields.get("name"));
    assertEquals("\"" + namespace + "\"", fields.get("namespace"));
    assertEquals(
        Files.readString(dir.resolve("tls.crt")),
        new String(Base64.getDecoder().decode(fields.get("tls.crt")), UTF_8));
    assertEquals(
        Files.readString(dir.resolve("tls.key")),
        new String(Base64.getDecoder().decode(fields.get("tls.key")), UTF_8));
  }

  private static void assertOk(String verifyOutput) {
    assertTrue(verifyOutput.strip().endsWith(": OK"), verifyOutput);
  }

  private static int countCertificates(String pem) {
    return pem.split("-----BEGIN CERTIFICATE-----", -1).length - 1;
  }
}
