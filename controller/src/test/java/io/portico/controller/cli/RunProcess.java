package io.portico.controller.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real {@code portico run} process, for the tests of what only a whole process shows. */
final class RunProcess {

  private RunProcess() {}

  /**
   * Starts {@code portico run} on this test's java and classpath, every listener on a free loopback
   * port, with {@code flags} after those; its log (standard error) goes to {@code log}.
   */
  static Process start(Path log, String... flags) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Portico.class.getName(),
                "run",
                "--bind=127.0.0.1",
                "--http-port=0",
                "--https-port=0",
                "--admin-port=0"));
    command.addAll(List.of(flags));
    return new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(log.toFile())
        .start();
  }
}
