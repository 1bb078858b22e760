package io.portico.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.testing.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --exit-when-ready}, as the image build runs it to record the JVM's ahead-of-time
 * cache: a whole start, the warm-up included, then exit 0 without a signal; 1 when it cannot start.
 */
class ExitWhenReadyTest {

  @TempDir Path folder;
  private Process process;

  @AfterEach
  void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** {@code portico run --exit-when-ready} on free loopback ports, with these flags too. */
  private Process start(String... args) throws Exception {
    List<String> flags = new java.util.ArrayList<>(List.of("--exit-when-ready"));
    flags.addAll(List.of(args));
    return RunProcess.start(folder.resolve("portico.log"), flags.toArray(new String[0]));
  }

  @Test
  void warmsUpThenExitsZeroOnItsOwn() throws Exception {
    Path manifests = Files.createDirectory(folder.resolve("manifests"));
    Files.writeString(
        manifests.resolve("objects.yaml"),
        Manifests.service("app-svc", 9)
            + "---\n"
            + Manifests.ingress("app", "app.test", "/", "app-svc"));
    process = start("--manifests=" + manifests, "--warm-up=500ms");

    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the process exited on its own");
    String log = Files.readString(folder.resolve("portico.log"));
    assertEquals(0, process.exitValue(), log);
    int warmedUp = log.indexOf("event=warm_up_done");
    assertTrue(warmedUp > 0, "the warm-up ran to its end before the exit:\n" + log);
    assertTrue(log.indexOf("event=ready_exiting") > warmedUp, log);
  }

  @Test
  void exitsOneWhenItCannotStart() throws Exception {
    process = start("--manifests=" + folder.resolve("missing"));

    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process exited");
    String log = Files.readString(folder.resolve("portico.log"));
    assertEquals(1, process.exitValue(), log);
    assertTrue(log.contains("run: cannot start"), log);
  }
}
