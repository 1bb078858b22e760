package io.portico.controller.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.source.ManifestParser;
import io.portico.router.balance.AffinityKey;
import io.portico.router.route.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a translator keeps between translations: nothing after a failure (the next translation
 * starts from scratch and gives what a fresh translator gives), and, after a success, results keyed
 * on object versions rather than on Java objects.
 */
class TranslatorStateTest {

  private static final String SERVICE =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: app-svc, namespace: default}
      spec: {ports: [{name: http, port: 80}]}
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata: {name: app-svc-0, namespace: default, labels: {kubernetes.io/service-name: app-svc}}
      addressType: IPv4
      ports: [{name: http, port: 8080}]
      endpoints: [{addresses: [10.0.0.1]}]
      ---
      """;

  private static String ingress(String... paths) {
    StringBuilder list = new StringBuilder();
    for (String path : paths) {
      list.append(list.length() == 0 ? "" : ", ")
          .append("{path: ")
          .append(path)
          .append(", pathType: Prefix, backend: {service: {name: app-svc, port: {name: http}}}}");
    }
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: app, namespace: default}
        spec:
          ingressClassName: portico
          rules: [{host: app.test, http: {paths: [%s]}}]
        """
        .formatted(list);
  }

  private static ClusterSnapshot snapshot(String yaml) throws Exception {
    return ClusterSnapshot.of(new ManifestParser().parse("test.yaml", yaml));
  }

  private static Translator translator(List<TranslationStep> steps) {
    return new Translator(
        TranslatorSettings.defaults(),
        TranslatorFixtureTest.FIXED,
        AffinityKey.builtIn(),
        TranslatorFixtureTest.TLS,
        steps);
  }

  @Test
  void aStepThatThrowsOnceLeavesTheNextTranslationToStartFromScratch() throws Exception {
    FailingStep failing = new FailingStep();
    // Between the step that records what each Ingress gave and the step that merges it: state
    // kept from the failed run would hold the new rules, and never pass them on.
    Translator translator = translator(FailingStep.after("ingress-rules", failing));
    ClusterSnapshot before = snapshot(SERVICE + ingress("/a"));
    translator.translate(before);
    ClusterSnapshot after = before.toBuilder().add(parse(ingress("/a", "/b"))).build();

    failing.armOnce();
    TranslationException failure =
        assertThrows(TranslationException.class, () -> translator.translate(after));
    assertEquals("failing-once", failure.step());
    assertInstanceOf(IllegalStateException.class, failure.getCause());

    Translation recovered = translator.translate(after);
    Translation fresh = translator(TranslationSteps.standard()).translate(after);
    assertEquals(fresh.dump(), recovered.dump());
    assertEquals(fresh.routes(), recovered.routes());
    assertEquals(fresh.ownedIngresses(), recovered.ownedIngresses());
    assertEquals(fresh.referencedServices(), recovered.referencedServices());
    assertTrue(recovered.routes().dump().contains("/b"), recovered.routes().dump());
    assertEquals(List.of(true, false, true), failing.fromScratch(), "runs from scratch");
  }

  @Test
  void newCopiesOfTheSameVersionsAreNotReadAgain() throws Exception {
    Path dir = Path.of(getClass().getResource("/translate").toURI());
    String text = Files.readString(dir.resolve("basic-host-paths.yaml"));
    List<Integer> changes = new ArrayList<>();
    List<TranslationStep> steps = new ArrayList<>(TranslationSteps.standard());
    steps.add(
        new TranslationStep() {
          @Override
          public String name() {
            return "count-ingress-changes";
          }

          @Override
          public void apply(TranslationRun run) {
            changes.add(run.ingressChanges().size());
          }
        });
    Translator translator = translator(steps);
    Translation before = translator.translate(snapshot(text));
    // Parsed again: other Java objects, the same (synthetic) versions, as after a relist.
    Translation after = translator.translate(snapshot(text));
    assertEquals(before.dump(), after.dump());
    assertEquals(2, changes.size());
    assertTrue(changes.get(0) > 0, "the first translation reads every Ingress: " + changes);
    assertEquals(0, changes.get(1), "Ingresses read again");
    for (int i = 0; i < before.routes().routes().size(); i++) {
      Route route = before.routes().routes().get(i);
      assertSame(route, after.routes().routes().get(i), route.toString());
    }
  }

  private static HasMetadata parse(String yaml) throws Exception {
    return new ManifestParser().parse("test.yaml", yaml).get(0);
  }
}
