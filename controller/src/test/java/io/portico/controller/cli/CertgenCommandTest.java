package io.portico.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CertgenCommandTest {

  @TempDir Path dir;

  /** One run of the command: exit code and what it printed. */
  private record Run(int exitCode, String out, String err) {}

  private Run certgen(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new CertgenCommand());
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exitCode = commandLine.execute(arguments);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void writesTheFilesAndASummary() {
    Run run = certgen("--host", "app.test", "--ip", "127.0.0.1", "--out", dir.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertEquals("", run.err());
    assertTrue(run.out().contains("names      app.test, IP 127.0.0.1"), run.out());
    assertTrue(run.out().contains("default/app-test-tls"), run.out());
    for (String file : new String[] {"tls.crt", "tls.key", "secret.yaml"}) {
      assertTrue(Files.exists(dir.resolve(file)), file);
    }
    assertFalse(Files.exists(dir.resolve("ca.crt")));
  }

  @Test
  void caIsCreatedThenReused() {
    Run first = certgen("--host", "a.test", "--ca", "--out", dir.toString());
    Run second =
        certgen(
            "--host",
            "b.test",
            "--ca",
            "--force",
            "--key-type",
            "rsa-2048",
            "--out",
            dir.toString());

    assertEquals(0, first.exitCode(), first.err());
    assertTrue(first.out().contains("(created, CN=Portico certgen CA"), first.out());
    assertEquals(0, second.exitCode(), second.err());
    assertTrue(second.out().contains("(reused, CN=Portico certgen CA"), second.out());
    assertTrue(second.out().contains("key type   RSA"), second.out());
  }

  @Test
  void invalidHostIsOneLineAndExitCodeOne() {
    Run run = certgen("--host", "a_b.test", "--out", dir.toString());

    assertEquals(1, run.exitCode());
    assertEquals(
        "certgen: host \"a_b.test\": label \"a_b\" has characters other than letters, digits and"
            + " '-' (RFC 1123)"
            + System.lineSeparator(),
        run.err());
    assertEquals("", run.out());
  }

  @Test
  void refusalToOverwriteNamesTheFile() {
    assertEquals(0, certgen("--host", "app.test", "--out", dir.toString()).exitCode());

    Run again = certgen("--host", "app.test", "--out", dir.toString());

    assertEquals(1, again.exitCode());
    assertEquals(
        "certgen: refusing to overwrite "
            + dir.toAbsolutePath().resolve("tls.crt")
            + " (use --force to replace tls.crt, tls.key and secret.yaml)"
            + System.lineSeparator(),
        again.err());
  }

  @Test
  void missingNamesAndBadValuesAreUserErrors() {
    Run none = certgen("--out", dir.toString());
    Run days = certgen("--host", "a.test", "--days", "0", "--out", dir.toString());
    Run namespace = certgen("--host", "a.test", "--namespace", "Nope", "--out", dir.toString());

    assertEquals(1, none.exitCode());
    assertEquals(
        "certgen: no host names or IP addresses (expected: at least one --host or --ip)",
        none.err().strip());
    assertEquals(1, days.exitCode());
    assertEquals("certgen: days: 0 (expected: 1 to 36500)", days.err().strip());
    assertEquals(1, namespace.exitCode());
    assertTrue(namespace.err().startsWith("certgen: namespace: \"Nope\""), namespace.err());
  }

  @Test
  void unparsableCommandLinesAreUsageErrorsWithoutStackTraces() {
    Run keyType = certgen("--host", "a.test", "--key-type", "dsa", "--out", dir.toString());
    Run days = certgen("--host", "a.test", "--days", "soon", "--out", dir.toString());
    Run unknown = certgen("--hots=a.test");

    assertEquals(2, keyType.exitCode());
    assertTrue(
        keyType
            .err()
            .startsWith(
                "Invalid value for option '--key-type': \"dsa\" (expected: one of ec-p256,"
                    + " rsa-2048, rsa-4096)"),
        keyType.err());
    assertEquals(2, days.exitCode());
    assertTrue(days.err().startsWith("Invalid value for option '--days'"), days.err());
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().startsWith("Unknown option: '--hots=a.test'"), unknown.err());
    for (Run run : new Run[] {keyType, days, unknown}) {
      assertFalse(run.err().contains("\tat "), run.err());
      assertFalse(run.err().contains("Exception"), run.err());
    }
  }

  @Test
  void helpShowsEveryOptionWithItsDefault() {
    Run help = certgen("--help");

    assertEquals(0, help.exitCode());
    String usage = help.out().replaceAll("\\s+", " ");
    for (String expected :
        new String[] {
          "--host=NAME",
          "--ip=ADDRESS",
          "--days=DAYS Validity in days (default: 365).",
          "--key-type=TYPE Key type, one of ec-p256, rsa-2048, rsa-4096 (default: ec-p256).",
          "--out=DIR",
          "(default: .)",
          "--secret-name=NAME",
          "--namespace=NAMESPACE Namespace of the Secret in secret.yaml (default: default).",
          "--ca",
          "--force",
          "(default: false)",
        }) {
      assertTrue(usage.contains(expected), () -> expected + " not in:\n" + help.out());
    }
  }
}
