package io.portico.controller.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.portico.controller.annotations.SnippetAnnotations;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.source.ManifestParser;
import io.portico.router.balance.AffinityKey;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every case in {@code src/test/resources/translate} (see its README). */
class TranslatorFixtureTest {

  static final Clock FIXED = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

  // One generated default certificate and one cache for all cases: the dump names the generated
  // certificate by subject only, so its key and dates do not matter.
  static final TlsInputs TLS = TlsInputs.generated(FIXED.instant());

  @TestFactory
  Stream<DynamicTest> fixtures() throws IOException, URISyntaxException {
    Path dir = Path.of(getClass().getResource("/translate").toURI());
    List<Path> cases;
    try (Stream<Path> listing = Files.list(dir)) {
      cases = listing.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(cases.isEmpty(), "no fixtures in " + dir);
    return cases.stream()
        .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)));
  }

  private static void check(Path file) throws Exception {
    String text = Files.readString(file);
    Translation translation = translate(file.getFileName().toString(), text);
    String name = file.getFileName().toString().replace(".yaml", ".expected");
    Path expected = file.resolveSibling(name);
    if (!Files.exists(expected)) {
      Path actual = Path.of("target", "translate-actual", name);
      Files.createDirectories(actual.getParent());
      Files.writeString(actual, translation.dump(), StandardCharsets.UTF_8);
      fail("no " + name + " yet; this translation was written to " + actual.toAbsolutePath());
    }
    assertEquals(Files.readString(expected), translation.dump(), file.toString());
  }

  /** Translates a fixture, honouring its {@code # flags:} line. */
  static Translation translate(String source, String text) throws Exception {
    return new Translator(
            settings(text),
            FIXED,
            AffinityKey.builtIn(),
            TLS.withDefaultSecret(defaultTlsSecret(text)))
        .translate(ClusterSnapshot.of(new ManifestParser().parse(source, text)));
  }

  /** The {@code --default-tls-secret=ns/name} of a fixture's {@code # flags:} line. */
  static Optional<ObjectKey> defaultTlsSecret(String text) {
    for (String flag : flags(text)) {
      if (flag.startsWith("--default-tls-secret=")) {
        return Optional.of(ObjectKey.parse(flag.substring("--default-tls-secret=".length())));
      }
    }
    return Optional.empty();
  }

  private static List<String> flags(String text) {
    String firstLine = text.lines().findFirst().orElse("");
    if (!firstLine.startsWith("# flags:")) {
      return List.of();
    }
    return List.of(firstLine.substring("# flags:".length()).trim().split("\\s+"));
  }

  static TranslatorSettings settings(String text) {
    TranslatorSettings settings = TranslatorSettings.defaults();
    String ingressClass = settings.ingressClass();
    boolean withoutClass = false;
    Optional<TranslatorSettings.ServiceRef> defaultBackend = Optional.empty();
    Optional<ObjectKey> configMap = Optional.empty();
    boolean externalNames = true;
    SnippetAnnotations snippets = SnippetAnnotations.REFUSE;
    for (String flag : flags(text)) {
      if (flag.equals("--allow-external-name-services=false")) {
        externalNames = false;
      } else if (flag.startsWith("--default-backend=")) {
        defaultBackend = Optional.of(TranslatorSettings.ServiceRef.parse(flag.substring(18)));
      } else if (flag.startsWith("--ingress-class=")) {
        ingressClass = flag.substring(16);
      } else if (flag.equals("--watch-ingress-without-class")) {
        withoutClass = true;
      } else if (flag.startsWith("--snippet-annotations=")) {
        snippets = SnippetAnnotations.valueOf(flag.substring(22).toUpperCase(Locale.ROOT));
      } else if (flag.startsWith("--configmap=")) {
        configMap = Optional.of(ObjectKey.parse(flag.substring("--configmap=".length())));
      } else if (!flag.startsWith("--default-tls-secret=")) {
        throw new IllegalArgumentException("unknown fixture flag " + flag);
      }
    }
    return new TranslatorSettings(
        ingressClass,
        settings.controllerName(),
        withoutClass,
        defaultBackend,
        externalNames,
        configMap,
        snippets);
  }
}
