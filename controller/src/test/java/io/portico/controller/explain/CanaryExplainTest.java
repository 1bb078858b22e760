package io.portico.controller.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.source.ManifestParser;
import io.portico.controller.translate.Translation;
import io.portico.controller.translate.Translator;
import io.portico.controller.translate.TranslatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code explain --header/--cookie} on a rule with canaries (the translator fixture). */
class CanaryExplainTest {

  private Explainer explainer;
  private Translation translation;

  @BeforeEach
  void translate() throws Exception {
    String objects =
        Files.readString(Path.of(getClass().getResource("/translate/canary-several.yaml").toURI()));
    translation =
        new Translator(TranslatorSettings.defaults(), Clock.systemUTC())
            .translate(ClusterSnapshot.of(new ManifestParser().parse("canary.yaml", objects)));
    explainer = new Explainer(translation.routes(), translation.findings());
  }

  private String explain(List<String> headers, List<String> cookies) {
    return explainer.explain("http://app.test/info", ExplainedRequest.of(headers, cookies)).text();
  }

  @Test
  void theCanariesAreListedInOrderAndARequestWithoutHeadersGoesByWeight() {
    String text = explain(List.of(), List.of());
    assertTrue(
        text.contains(
            "canaries, asked in this order (weights over 1000):\n"
                + "  1. Service default/canary-svc:80 (Ingress default/first): header x-version:"
                + " v2, weight 50\n"
                + "  2. Service default/second-svc:80 (Ingress default/second): header x-version ~"
                + " ^v3, weight 150\n"),
        text);
    assertTrue(
        text.contains(
            "takes     by weight: main 0 of every 1000 such requests, canary 1 50, canary 2 150,"
                + " canary 3 800\n"),
        text);
  }

  @Test
  void aHeaderNamesTheCanaryItTakes() {
    String text = explain(List.of("X-Version: v3.2"), List.of());
    assertTrue(text.startsWith("request   http://app.test/info with x-version: v3.2\n"), text);
    assertTrue(
        text.contains(
            "takes     canary 2, Service default/second-svc:80: its header x-version takes the"
                + " canary\n"),
        text);
    assertTrue(
        explain(List.of("x-version: v2"), List.of())
            .contains("takes     canary 1, Service default/canary-svc:80: its header x-version"),
        "the value v2");
  }

  @Test
  void theCanaryIngressesAnnotationsAreHonoured() {
    String text = Explainer.of(translation).explain("http://app.test/info").text();
    assertTrue(
        text.contains(
            "annotations of canary Ingress default/first:\n"
                + "  honoured  nginx.ingress.kubernetes.io/canary (canary family)\n"
                + "  honoured  nginx.ingress.kubernetes.io/canary-by-header (canary family)\n"
                + "  honoured  nginx.ingress.kubernetes.io/canary-by-header-value (canary family)\n"
                + "  honoured  nginx.ingress.kubernetes.io/canary-weight (canary family)\n"),
        text);
    assertTrue(text.contains("annotations of canary Ingress default/second:\n"), text);
  }

  @Test
  void aMirrorSaysWhereTheCopyGoes() throws Exception {
    String objects =
        Files.readString(
            Path.of(getClass().getResource("/translate/mirror-annotations.yaml").toURI()));
    Translation translation =
        new Translator(TranslatorSettings.defaults(), Clock.systemUTC())
            .translate(ClusterSnapshot.of(new ManifestParser().parse("mirror.yaml", objects)));
    String text =
        new Explainer(translation.routes(), translation.findings())
            .explain("http://long.test/a?b=1")
            .text();
    assertTrue(
        text.contains(
            "mirror    a copy goes to Service default/second-svc:80 (/a?b=1, Host copies.test,"
                + " without the body); its answer is discarded\n"),
        text);
  }

  @Test
  void badInputIsRefusedWithItsForm() {
    IllegalArgumentException header =
        assertThrows(
            IllegalArgumentException.class,
            () -> ExplainedRequest.of(List.of("novalue"), List.of()));
    assertEquals("header: novalue (expected: NAME:VALUE)", header.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> ExplainedRequest.of(List.of(), List.of("a=b; c=d")));
  }
}
