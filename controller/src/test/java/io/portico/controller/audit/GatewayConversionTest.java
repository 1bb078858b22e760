package io.portico.controller.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.portico.controller.annotations.SnippetAnnotations;
import io.portico.controller.gateway.GatewaySettings;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.source.ManifestParser;
import io.portico.controller.translate.Finding;
import io.portico.controller.translate.TlsInputs;
import io.portico.controller.translate.Translation;
import io.portico.controller.translate.Translator;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.balance.AffinityKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The mapping, case by case: each {@code src/test/resources/audit/to-gateway/CASE.yaml} (its first
 * comment says what it covers) converted and compared with {@code CASE.expected.yaml}; a case named
 * {@code experimental-*} is converted for the experimental channel. On a mismatch the output is
 * written to {@code target/to-gateway/}, to read and copy over. The output is then given to Portico
 * beside its Ingresses: every object is read, and no Gateway API object gets a warning.
 */
class GatewayConversionTest {

  private static final Path CASES = Path.of("src", "test", "resources", "audit", "to-gateway");
  private static final Set<String> GATEWAY_API =
      Set.of("Gateway", "HTTPRoute", "ReferenceGrant", "GatewayClass");
  private static final String GATEWAY_CLASS =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata: {name: portico}
      spec: {controllerName: portico.io/gateway-controller}
      """;

  static Stream<String> cases() throws Exception {
    try (Stream<Path> files = Files.list(CASES)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.endsWith(".expected.yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void convertsAsExpected(String name) throws Exception {
    String input = Files.readString(CASES.resolve(name + ".yaml"));
    ManifestParser parser = new ManifestParser();
    ClusterSnapshot snapshot = ClusterSnapshot.of(parser.parse(name, input));
    Audit audit = new Audit(Optional.empty(), SnippetAnnotations.REFUSE, Optional.empty());
    String output =
        new GatewayConversion("portico", Optional.empty(), name.startsWith("experimental-"))
            .convert(snapshot, audit.selected(snapshot))
            .yaml();

    Path expectedFile = CASES.resolve(name + ".expected.yaml");
    String expected = Files.exists(expectedFile) ? Files.readString(expectedFile) : "";
    if (!output.equals(expected)) {
      Path actual = Path.of("target", "to-gateway", name + ".expected.yaml");
      Files.createDirectories(actual.getParent());
      Files.writeString(actual, output);
      assertEquals(expected, output, "differs from " + expectedFile + ": see " + actual);
    }

    List<HasMetadata> converted = parser.parse(name + " converted", output);
    assertTrue(converted.stream().allMatch(o -> GATEWAY_API.contains(o.getKind())), output);
    List<HasMetadata> all = new ArrayList<>(parser.parse(name, input));
    all.addAll(converted);
    all.addAll(parser.parse("class", GATEWAY_CLASS));
    Clock clock = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);
    Translation translation =
        new Translator(
                TranslatorSettings.defaults().withGateway(GatewaySettings.defaults()),
                clock,
                AffinityKey.builtIn(),
                TlsInputs.generated(clock.instant()))
            .translate(ClusterSnapshot.of(all));
    List<Finding> warnings =
        translation.findings().stream()
            .filter(f -> f.severity() == Finding.Severity.WARNING)
            .filter(f -> GATEWAY_API.contains(f.subject().kind()))
            // The cases have Services without endpoints: not the conversion's business.
            .filter(f -> !f.reason().equals("NoEndpoints"))
            .toList();
    assertEquals(List.of(), warnings, name);
  }
}
