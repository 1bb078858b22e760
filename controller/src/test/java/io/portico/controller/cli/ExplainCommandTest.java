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
  void explainsAGatewayApiRouteWithItsApiRuleAndWeights() {
    Run run = explain("explain", "--manifests=" + EXAMPLES, "http://shop.test/api/cart");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("api       Gateway API: routes on the HTTP listener"), run.out());
    assertTrue(
        run.out().contains("match     Prefix /api from HTTPRoute default/shop rule 1"), run.out());
    assertTrue(
        run.out()
            .contains("backends  default/app1-svc:8888 weight 90, default/app2-svc:9999 weight 10"),
        run.out());
    // The Ingress hosts of the same folder stay the Ingresses'.
    Run ingress = explain("explain", "--manifests=" + EXAMPLES, "http://app.test/app1/x");
    assertTrue(ingress.out().contains("from Ingress default/app"), ingress.out());
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
