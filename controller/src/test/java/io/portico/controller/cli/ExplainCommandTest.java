package io.portico.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExplainCommandTest {

  private static final Path EXAMPLES = Path.of("..", "examples", "local");

  private record Run(int code, String out, String err) {}

  private static Run explain(String... args) {
    CommandLine commandLine = Portico.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void explainsAMatchFromTheExampleFolderWithExitCode0() {
    assertTrue(Files.isDirectory(EXAMPLES), "run from the controller module");
    Run run = explain("explain", "--manifests=" + EXAMPLES, "http://app.test/app1/x");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("match     Prefix /app1 from Ingress default/app"), run.out());
  }

  @Test
  void noMatchIsExitCode1WithCandidates() {
    Run run = explain("explain", "--manifests=" + EXAMPLES, "http://app.test/ap");
    assertEquals(1, run.code());
    assertTrue(run.out().startsWith("no rule matches"), run.out());
  }

  @Test
  void aMissingFolderIsExitCode2WithAMessage() {
    Run run = explain("explain", "--manifests=/nonexistent/portico", "http://app.test/");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("explain: cannot read the state"), run.err());
  }
}
