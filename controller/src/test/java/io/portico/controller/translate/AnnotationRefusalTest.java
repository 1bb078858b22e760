package io.portico.controller.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.annotations.AnnotationCatalogue;
import io.portico.controller.annotations.AnnotationReader;
import io.portico.controller.annotations.AnnotationValues;
import io.portico.controller.annotations.Category;
import io.portico.controller.annotations.Fate;
import io.portico.controller.annotations.SnippetAnnotations;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.source.ManifestParser;
import io.portico.router.balance.AffinityKey;
import io.portico.router.route.Route;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every annotation the catalogue refuses keeps its Ingress from being served, under either prefix,
 * while an Ingress beside it on the same host serves; the cases are generated from the catalogue,
 * so an annotation added to it as refused is tested here without more code.
 */
class AnnotationRefusalTest {

  private static final ObjectKey VICTIM = new ObjectKey("default", "victim");

  @TestFactory
  Stream<DynamicTest> everyRefusedAnnotationRefusesItsIngress() {
    return refused()
        .flatMap(
            entry ->
                Stream.of(AnnotationValues.NGINX_PREFIX, AnnotationValues.PORTICO_PREFIX)
                    .map(
                        prefix ->
                            DynamicTest.dynamicTest(
                                prefix + entry.name(),
                                () -> assertRefused(prefix + entry.name(), valueFor(entry)))));
  }

  @TestFactory
  Stream<DynamicTest> snippetsAreServedWithoutTheSnippetWhenToldTo() {
    return refused()
        .filter(entry -> entry.category() == Category.SNIPPET)
        .map(
            entry ->
                DynamicTest.dynamicTest(
                    entry.name(),
                    () -> {
                      Translation translation =
                          translate(
                              AnnotationValues.NGINX_PREFIX + entry.name(),
                              "deny all;",
                              SnippetAnnotations.IGNORE);
                      assertTrue(servesVictim(translation), translation.dump());
                      assertTrue(translation.dump().contains("SnippetIgnored"), translation.dump());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> aValueThatAsksForNothingIsOnlyIgnored() {
    return refused()
        .filter(entry -> !entry.inert().isEmpty())
        .map(
            entry ->
                DynamicTest.dynamicTest(
                    entry.name() + ": " + entry.inert().iterator().next(),
                    () -> {
                      Translation translation =
                          translate(
                              AnnotationValues.NGINX_PREFIX + entry.name(),
                              entry.inert().iterator().next(),
                              SnippetAnnotations.REFUSE);
                      assertTrue(servesVictim(translation), translation.dump());
                      assertTrue(translation.annotations().refused().isEmpty());
                    }));
  }

  private static Stream<AnnotationCatalogue.Entry> refused() {
    return AnnotationCatalogue.entries().stream().filter(e -> e.fate() == Fate.REFUSED);
  }

  /** A value that asks for something: {@code "1"} (true, or a limit of one) unless inert. */
  private static String valueFor(AnnotationCatalogue.Entry entry) {
    return entry.inert("1") ? "maybe" : "1";
  }

  private static void assertRefused(String key, String value) throws Exception {
    Translation translation = translate(key, value, SnippetAnnotations.REFUSE);
    String dump = translation.dump();
    assertFalse(servesVictim(translation), dump);
    assertTrue(
        translation.routes().routes().stream().anyMatch(r -> r.origin().name().equals("neighbour")),
        "the Ingress beside it keeps serving:\n" + dump);
    List<Finding> refusals =
        translation.findings().stream()
            .filter(f -> f.reason().equals(AnnotationReader.REFUSED))
            .toList();
    assertEquals(1, refusals.size(), dump);
    assertEquals(Finding.Severity.WARNING, refusals.get(0).severity());
    assertEquals(VICTIM, refusals.get(0).subject().key());
    assertTrue(refusals.get(0).message().contains(key + " ("), refusals.get(0).message());
    assertEquals(List.of(VICTIM), List.copyOf(translation.annotations().refused().keySet()));
    assertFalse(translation.servedIngresses().contains(VICTIM));
    assertTrue(translation.ownedIngresses().contains(VICTIM));
  }

  private static boolean servesVictim(Translation translation) {
    Stream<Route> all =
        Stream.concat(
            translation.routes().routes().stream(),
            translation.routes().fallbacks().values().stream());
    return all.anyMatch(r -> r.origin().name().equals(VICTIM.name()))
        || translation.routes().defaultRoute().isPresent();
  }

  private static Translation translate(String key, String value, SnippetAnnotations snippets)
      throws Exception {
    String yaml =
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: victim
          namespace: default
          creationTimestamp: "2026-01-01T00:00:00Z"
          annotations: {"%s": "%s"}
        spec:
          ingressClassName: portico
          tls: [{hosts: [victim.test], secretName: victim-tls}]
          defaultBackend: {service: {name: app, port: {number: 80}}}
          rules:
          - host: victim.test
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: neighbour, namespace: default, creationTimestamp: "2026-01-02T00:00:00Z"}
        spec:
          ingressClassName: portico
          rules:
          - host: victim.test
            http:
              paths:
              - {path: /other, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: app, namespace: default}
        spec: {ports: [{port: 80, targetPort: 8080}]}
        """
            .formatted(key, value);
    TranslatorSettings settings = TranslatorSettings.defaults().withSnippetAnnotations(snippets);
    return new Translator(
            settings, TranslatorFixtureTest.FIXED, AffinityKey.builtIn(), TranslatorFixtureTest.TLS)
        .translate(ClusterSnapshot.of(new ManifestParser().parse("refusal", yaml)));
  }
}
