package io.portico.controller.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.cli.Portico;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The arguments the chart renders are arguments {@code portico run} accepts: a flag the chart
 * passes and the command line does not know would stop the Pod at start.
 */
class ChartArgsTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "controller: {watchNamespaces: [portico, shop], watchIngressWithoutClass: true,"
            + " endpointsApi: endpoints}",
        "controller: {defaultBackendService: ops/fallback, defaultTLSSecret: ops/wildcard-tls,"
            + " publishService: {enabled: false}}",
        "controller: {extraArgs: {access-log: json, hsts: \"false\", upstream-read-timeout: 120s}}",
        "controller: {edge: {clientHeaderTimeout: 10s, clientBodyTimeout: 90s, maxConnections:"
            + " 20000, allowExternalNameServices: false, allowEncodedSlashes: true,"
            + " h2cPriorKnowledge: true}}",
        "controller: {snippetAnnotations: ignore}",
      })
  void everyRenderedArgumentParses(String values) throws Exception {
    assertParses(values.isEmpty() ? HelmChart.render() : HelmChart.render(values));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ci/minikube-values.yaml", "ci/watch-namespaces-values.yaml"})
  void theValuesFilesToo(String file) throws Exception {
    assertParses(HelmChart.renderFiles(HelmChart.file(file)));
  }

  private void assertParses(RenderedChart chart) throws Exception {
    List<String> args =
        chart.deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    // The affinity key is a Secret volume in the Pod; the flag reads the file when it is parsed,
    // so a real file of the same kind stands in for it here.
    Path key = dir.resolve("affinity-key");
    Files.write(key, new byte[32]);
    String[] arguments =
        args.stream()
            .map(a -> a.startsWith("--affinity-key-file=") ? "--affinity-key-file=" + key : a)
            .toArray(String[]::new);
    CommandLine.ParseResult parsed = Portico.commandLine().parseArgs(arguments);
    assertTrue(parsed.hasSubcommand(), "no command in " + args);
    assertEquals("run", parsed.subcommand().commandSpec().name());
    assertTrue(
        parsed.subcommand().unmatched().isEmpty(), "unmatched: " + parsed.subcommand().unmatched());
  }
}
