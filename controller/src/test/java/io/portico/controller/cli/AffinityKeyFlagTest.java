package io.portico.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.balance.AffinityKey;
import io.portico.router.balance.CookieAffinity;
import io.portico.router.balance.StickyIndex;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AffinityKeyFlagTest {

  @TempDir Path dir;

  private static RunOptions parse(String... args) {
    RunOptions options = new RunOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  private static String cookieOf(AffinityKey key) {
    return new StickyIndex(key, "ns/svc:80", CookieAffinity.defaults(), List.of("pod:80"), 1)
        .persistentValue(0);
  }

  @Test
  void withoutTheFlagTheBuiltInKeyIsUsed() {
    assertTrue(parse("--manifests=dir").affinityKey().isBuiltIn());
  }

  @Test
  void theFilesBytesAreTheKeyAndEveryReaderAgrees() throws Exception {
    Path file = dir.resolve("affinity-key");
    Files.write(file, "32 bytes that stand for random.\n".getBytes());
    AffinityKey one = parse("--affinity-key-file=" + file).affinityKey();
    AffinityKey two = parse("--affinity-key-file", file.toString()).affinityKey();
    assertFalse(one.isBuiltIn());
    assertEquals(cookieOf(one), cookieOf(two));
    assertFalse(cookieOf(one).equals(cookieOf(AffinityKey.builtIn())));
  }

  @Test
  void aShortOrMissingFileIsRefusedWithoutShowingItsContent() throws Exception {
    Path file = dir.resolve("short");
    Files.writeString(file, "tiny-secret");
    CommandLine.ParameterException shortKey =
        assertThrows(
            CommandLine.ParameterException.class, () -> parse("--affinity-key-file=" + file));
    assertTrue(
        shortKey.getMessage().contains(file + ": 11 bytes (expected: at least 16"),
        shortKey.getMessage());
    assertFalse(shortKey.getMessage().contains("tiny-secret"));
    CommandLine.ParameterException missing =
        assertThrows(
            CommandLine.ParameterException.class,
            () -> parse("--affinity-key-file=" + dir.resolve("absent")));
    assertTrue(missing.getMessage().contains("absent: no such file"), missing.getMessage());
  }

  @Test
  void runRefusesAShortKeyBeforeStartingAnything() throws Exception {
    Path file = dir.resolve("short");
    Files.writeString(file, "tiny");
    CommandLine commandLine = Portico.commandLine();
    StringWriter err = new StringWriter();
    commandLine.setErr(new PrintWriter(err));
    int code =
        commandLine.execute(
            "run", "--manifests=" + dir, "--affinity-key-file=" + file, "--http-port=0");
    assertEquals(2, code);
    assertTrue(err.toString().contains("4 bytes (expected: at least 16"), err.toString());
  }
}
