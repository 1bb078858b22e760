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
    Run run = explain("explain", "--manifests=" + EXAMPLES, "http://gateway.test/api/cart");
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
  void headersAndCookiesSayWhichBackendARuleWithACanaryTakes() {
    Run byHeader =
        explain(
            "explain",
            "--manifests=" + EXAMPLES,
            "--header",
            "x-canary: always",
            "http://shop.test/");
    assertEquals(0, byHeader.code(), byHeader.err());
    assertTrue(
        byHeader
            .out()
            .contains(
                "takes     canary 1, Service default/app2-svc:9999: its header x-canary takes the"
                    + " canary"),
        byHeader.out());
    Run byCookie =
        explain(
            "explain", "--manifests=" + EXAMPLES, "--cookie", "canary=never", "http://shop.test/");
    assertTrue(
        byCookie
            .out()
            .contains("takes     the main backend, Service default/app1-svc:8888: no canary"),
        byCookie.out());
    Run byWeight = explain("explain", "--manifests=" + EXAMPLES, "http://shop.test/");
    assertTrue(
        byWeight
            .out()
            .contains("takes     by weight: main 90 of every 100 such requests, canary 1 10"),
        byWeight.out());
    Run bad = explain("explain", "--manifests=" + EXAMPLES, "--header", "x", "http://shop.test/");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("header: x (expected: NAME:VALUE)"), bad.err());
  }

  @Test
  void aMissingFolderIsExitCode2WithAMessage() {
    Run run = explain("explain", "--manifests=/nonexistent/portico", "http://app.test/");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("explain: cannot read the state"), run.err());
  }
}
