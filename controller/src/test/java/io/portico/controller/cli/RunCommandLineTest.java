package io.portico.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.annotations.SnippetAnnotations;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class RunCommandLineTest {

  private static String help(String... args) {
    CommandLine commandLine = Portico.commandLine();
    StringWriter out = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    assertEquals(0, commandLine.execute(args));
    return out.toString();
  }

  @Test
  void topLevelHelpListsTheCommands() {
    String help = help("--help");
    for (String command : new String[] {"run", "demo", "certgen", "echo"}) {
      assertTrue(help.contains("  " + command + " "), command + " missing from:\n" + help);
    }
  }

  @Test
  void everyCommandsHelpRendersWithoutPicocliWarnings() {
    // Picocli reads descriptions as format strings: a bare % (as in "%2F") makes it warn on stderr
    // each time the help renders.
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      Portico.commandLine().getUsageMessage();
      Portico.commandLine()
          .getSubcommands()
          .values()
          .forEach(command -> assertFalse(command.getUsageMessage().isEmpty()));
    } finally {
      System.setErr(original);
    }
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void runHelpListsEveryFlagWithItsDefault() {
    String help = help("run", "--help");
    CommandLine run = Portico.commandLine().getSubcommands().get("run");
    for (OptionSpec option : run.getCommandSpec().options()) {
      String name = option.longestName();
      assertTrue(help.contains(name), name + " missing from run --help");
      if (option.defaultValue() != null && !option.usageHelp() && !option.versionHelp()) {
        assertTrue(
            String.join(" ", option.description()).contains("(default: " + option.defaultValue()),
            name + " does not show its default " + option.defaultValue());
      }
    }
    assertTrue(help.contains("(default: 8080)"), help);
    assertTrue(help.contains("(default: 60s)"), help);
  }

  @Test
  void flagsBecomeSettings() {
    RunOptions options = new RunOptions();
    new CommandLine(options)
        .parseArgs(
            "--manifests=dir",
            "--http-port=0",
            "--event-loops=3",
            "--upstream-read-timeout=1m30s",
            "--default-backend=ops/fallback:http",
            "--watch-ingress-without-class=true",
            "--snippet-annotations=ignore");
    assertEquals(3, options.proxySettings().eventLoops());
    assertEquals(Duration.ofSeconds(90), options.proxySettings().upstreamReadTimeout());
    assertEquals(
        "ops/fallback:http",
        options.translatorSettings().defaultBackend().orElseThrow().toString());
    assertTrue(options.translatorSettings().watchIngressWithoutClass());
    assertEquals(SnippetAnnotations.IGNORE, options.translatorSettings().snippetAnnotations());
  }

  @Test
  void snippetAnnotationsAreRefusedUnlessToldOtherwise() {
    RunOptions defaults = new RunOptions();
    new CommandLine(defaults).parseArgs("--manifests=dir");
    assertEquals(SnippetAnnotations.REFUSE, defaults.translatorSettings().snippetAnnotations());
    CommandLine.ParameterException e =
        assertThrows(
            CommandLine.ParameterException.class,
            () -> new CommandLine(new RunOptions()).parseArgs("--snippet-annotations=allow"));
    assertTrue(e.getMessage().contains("'allow' (expected: refuse or ignore)"), e.getMessage());
  }

  @Test
  void edgeFlagsBecomeSettings() {
    RunOptions defaults = new RunOptions();
    new CommandLine(defaults).parseArgs("--manifests=dir");
    assertEquals(Duration.ofSeconds(60), defaults.proxySettings().clientHeaderTimeout());
    assertEquals(Duration.ofSeconds(60), defaults.proxySettings().clientBodyTimeout());
    assertEquals(0, defaults.proxySettings().maxConnections());
    assertFalse(defaults.proxySettings().allowEncodedSlashes());
    assertFalse(defaults.proxySettings().h2cPriorKnowledge());
    assertTrue(defaults.translatorSettings().allowExternalNameServices());

    RunOptions options = new RunOptions();
    new CommandLine(options)
        .parseArgs(
            "--manifests=dir",
            "--client-header-timeout=10s",
            "--client-body-timeout=2m",
            "--max-connections=20000",
            "--allow-encoded-slashes",
            "--h2c-prior-knowledge=true",
            "--allow-external-name-services=false");
    assertEquals(Duration.ofSeconds(10), options.proxySettings().clientHeaderTimeout());
    assertEquals(Duration.ofMinutes(2), options.proxySettings().clientBodyTimeout());
    assertEquals(20000, options.proxySettings().maxConnections());
    assertTrue(options.proxySettings().allowEncodedSlashes());
    assertTrue(options.proxySettings().h2cPriorKnowledge());
    assertFalse(options.translatorSettings().allowExternalNameServices());
  }

  @Test
  void httpsFlagsBecomeSettings() {
    RunOptions defaults = new RunOptions();
    new CommandLine(defaults).parseArgs("--manifests=dir");
    assertEquals(8443, defaults.httpsSettings().port());
    assertEquals(443, defaults.httpsSettings().redirectPort());
    assertTrue(defaults.httpsSettings().hsts());
    assertTrue(defaults.defaultTlsSecret().isEmpty());

    RunOptions options = new RunOptions();
    new CommandLine(options)
        .parseArgs(
            "--manifests=dir",
            "--https-port=0",
            "--https-redirect-port=8443",
            "--hsts=false",
            "--default-tls-secret=ops/wildcard-tls");
    assertEquals(0, options.httpsSettings().port());
    assertEquals(8443, options.httpsSettings().redirectPort());
    assertFalse(options.httpsSettings().hsts());
    assertEquals("ops/wildcard-tls", options.defaultTlsSecret().orElseThrow().toString());
  }

  @ParameterizedTest
  @CsvSource({"500ms, PT0.5S", "5s, PT5S", "1m30s, PT1M30S", "2h, PT2H", "PT7S, PT7S", "0s, PT0S"})
  void durationsReadLikeKubernetes(String text, String expected) {
    assertEquals(Duration.parse(expected), DurationConverter.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"5", "s", "5 s", "5x", "1m-3s", "''"})
  void badDurationsAreRefusedWithTheExpectedForm(String text) {
    CommandLine.TypeConversionException e =
        assertThrows(
            CommandLine.TypeConversionException.class, () -> DurationConverter.parse(text));
    assertTrue(e.getMessage().contains("expected: e.g. 500ms, 5s"), e.getMessage());
  }

  @Test
  void aMissingFolderIsAOneLineErrorAndExitCode1() {
    CommandLine commandLine = Portico.commandLine();
    StringWriter err = new StringWriter();
    commandLine.setErr(new PrintWriter(err));
    int code =
        commandLine.execute(
            "run", "--manifests=/nonexistent/portico", "--http-port=0", "--admin-port=0");
    assertEquals(1, code);
  }
}
