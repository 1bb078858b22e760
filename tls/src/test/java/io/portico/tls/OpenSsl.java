package io.portico.tls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code openssl} binary. Tests that use it fail, not skip, when it is missing: CI
 * installs it, and a silently skipped check would prove nothing.
 */
final class OpenSsl {

  private OpenSsl() {}

  /** What a command printed (stdout and stderr together) and its exit code. */
  record Output(int exitCode, String text) {}

  static Output run(Path directory, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary());
    command.addAll(List.of(arguments));
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes(), UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("openssl did not finish: " + command);
    }
    return new Output(process.exitValue(), text);
  }

  /** Runs and asserts exit code 0; returns the output. */
  static String ok(Path directory, String... arguments) throws IOException, InterruptedException {
    Output output = run(directory, arguments);
    assertTrue(
        output.exitCode() == 0,
        () -> "openssl " + String.join(" ", arguments) + " failed:\n" + output.text());
    return output.text();
  }

  private static String binary() {
    for (String candidate : List.of("/usr/bin/openssl", "/usr/local/bin/openssl")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(entry, "openssl");
      if (!entry.isEmpty() && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail("openssl is required by this test and was not found (install the openssl package)");
  }
}
