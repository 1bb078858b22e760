package io.portico.controller.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.source.ManifestParser;
import io.portico.router.balance.AffinityKey;
import io.portico.router.route.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A translator remembers what each Ingress gave and what each Service port resolved to; its
 * translations must equal those of a translator that starts from nothing, whatever came before.
 * Every fixture of {@code src/test/resources/translate} is translated by one long-lived translator
 * after each of its objects in turn is removed and then put back as a new, equal object, and
 * compared with a fresh translator's result for the same snapshot.
 */
class IncrementalTranslationTest {

  @TestFactory
  Stream<DynamicTest> sameAsFromScratchAfterEveryRemovalAndReturn() throws Exception {
    Path dir = Path.of(getClass().getResource("/translate").toURI());
    List<Path> cases;
    try (Stream<Path> listing = Files.list(dir)) {
      cases = listing.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    return cases.stream()
        .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)));
  }

  private static void check(Path file) throws Exception {
    String text = Files.readString(file);
    Translator kept = translator(text);
    List<HasMetadata> objects = parse(text);
    assertSameAsFresh(text, kept, objects, "all objects");
    for (int i = 0; i < objects.size(); i++) {
      List<HasMetadata> without = new ArrayList<>(objects);
      HasMetadata removed = without.remove(i);
      assertSameAsFresh(text, kept, without, "without " + ObjectRef.of(removed));
      objects.set(i, parse(text).get(i));
      assertSameAsFresh(text, kept, objects, "with a new copy of " + ObjectRef.of(removed));
    }
  }

  /**
   * Random clusters where Ingresses often claim the same host, path and type, and share default
   * backends, Services and TLS hosts, changed one object at a time through {@link
   * ClusterSnapshot#toBuilder()} as the sources do.
   */
  @Test
  void sameAsFromScratchThroughRandomChanges() throws Exception {
    for (long seed = 1; seed <= 4; seed++) {
      sameAsFromScratchThroughRandomChanges(new Random(seed));
    }
  }

  private void sameAsFromScratchThroughRandomChanges(Random random) throws Exception {
    String flags = "# flags: --default-backend=default/svc-0\n";
    Translator kept = translator(flags);
    ClusterSnapshot.Builder builder = ClusterSnapshot.builder();
    Map<String, HasMetadata> current = new HashMap<>();
    for (int step = 0; step < 300; step++) {
      String name;
      String text;
      switch (random.nextInt(4)) {
        case 0 -> {
          name = "svc-" + random.nextInt(4);
          text = service(name, random);
        }
        case 1 -> {
          int n = random.nextInt(4);
          name = "slice-" + n;
          text = slice(name, "svc-" + n, random);
        }
        default -> {
          name = "ing-" + random.nextInt(12);
          text = ingress(name, random);
        }
      }
      HasMetadata before = current.get(name);
      if (before != null) {
        builder.remove(before);
        current.remove(name);
      }
      if (before == null || random.nextInt(5) != 0) {
        HasMetadata object = parse(text).get(0);
        builder.add(object);
        current.put(name, object);
      }
      ClusterSnapshot snapshot = builder.build();
      Translation expected = translator(flags).translate(snapshot);
      Translation actual = kept.translate(snapshot);
      String what = "step " + step + " (" + name + ")";
      assertEquals(expected.dump(), actual.dump(), what);
      assertEquals(expected.routes(), actual.routes(), what);
      assertEquals(expected.routes().endpointCount(), actual.routes().endpointCount(), what);
      assertEquals(expected.ownedIngresses(), actual.ownedIngresses(), what);
      assertEquals(expected.referencedServices(), actual.referencedServices(), what);
      assertEquals(expected.referencedSecrets(), actual.referencedSecrets(), what);
      assertEquals(expected.annotations(), actual.annotations(), what);
    }
  }

  /** None, or a few annotations of each fate: honoured, ignored, refused, unknown. */
  private static final List<String> ANNOTATIONS =
      List.of(
          "",
          "nginx.ingress.kubernetes.io/affinity: cookie",
          "nginx.ingress.kubernetes.io/auth-url: \"http://auth.test/$document_root\"",
          "nginx.ingress.kubernetes.io/proxy-buffering: \"on\"",
          "portico.io/rewite-target: /",
          "nginx.ingress.kubernetes.io/enable-modsecurity: \"false\"",
          "nginx.ingress.kubernetes.io/limit-rps: \"5\", portico.io/load-balance: random");

  private static String service(String name, Random random) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: default}
        spec: {ports: [{name: http, port: 80}%s]}
        """
        .formatted(name, random.nextBoolean() ? ", {name: alt, port: 81}" : "");
  }

  private static String slice(String name, String service, Random random) {
    StringBuilder endpoints = new StringBuilder();
    for (int i = random.nextInt(3); i >= 0; i--) {
      endpoints
          .append(endpoints.length() == 0 ? "" : ", ")
          .append("{addresses: [10.0.")
          .append(random.nextInt(3))
          .append('.')
          .append(random.nextInt(3))
          .append("], conditions: {ready: ")
          .append(random.nextInt(4) != 0)
          .append("}}");
    }
    return """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: %s, namespace: default, labels: {kubernetes.io/service-name: %s}}
        addressType: IPv4
        ports: [{name: http, port: 8080}]
        endpoints: [%s]
        """
        .formatted(name, service, endpoints);
  }

  private static String ingress(String name, Random random) {
    StringBuilder rules = new StringBuilder();
    for (int r = random.nextInt(3); r >= 0; r--) {
      String host = random.nextInt(5) == 0 ? "" : "host: h" + random.nextInt(3) + ".test, ";
      StringBuilder paths = new StringBuilder();
      for (int p = random.nextInt(3); p >= 0; p--) {
        paths
            .append(paths.length() == 0 ? "" : ", ")
            .append("{path: /p")
            .append(random.nextInt(3))
            .append(random.nextInt(4) == 0 ? "/" : "")
            .append(", pathType: ")
            .append(random.nextBoolean() ? "Prefix" : "Exact")
            .append(", backend: {service: {name: svc-")
            .append(random.nextInt(5))
            .append(", port: {name: http}}}}");
      }
      rules.append("  - {").append(host).append("http: {paths: [").append(paths).append("]}}\n");
    }
    String defaultBackend =
        random.nextInt(3) == 0
            ? "  defaultBackend: {service: {name: svc-"
                + random.nextInt(4)
                + ", port: {name: http}}}\n"
            : "";
    String tls =
        random.nextInt(4) == 0
            ? "  tls: [{hosts: [h" + random.nextInt(3) + ".test], secretName: missing}]\n"
            : "";
    String annotations =
        Stream.of(ANNOTATIONS.get(random.nextInt(ANNOTATIONS.size())), routingAnnotations(random))
            .filter(text -> !text.isEmpty())
            .collect(Collectors.joining(", "));
    // A quarter are canaries, which join the rules of the others.
    if (random.nextInt(4) == 0) {
      annotations =
          (annotations.isEmpty() ? "" : annotations + ", ")
              + "portico.io/canary: \"true\", portico.io/canary-weight: \""
              + random.nextInt(120)
              + "\"";
    }
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: default
          creationTimestamp: "2026-05-0%dT10:00:00Z"
          annotations: {%s}
        spec:
          ingressClassName: portico
        %s%s  rules:
        %s"""
        .formatted(name, 1 + random.nextInt(3), annotations, defaultBackend, tls, rules);
  }

  /**
   * Routing annotations now and then: those that reach a whole host (regex mode, app-root) and the
   * names a host serves besides its own (aliases that may be other Ingresses' hosts, www names).
   */
  private static String routingAnnotations(Random random) {
    List<String> annotations = new ArrayList<>();
    String prefix = "nginx.ingress.kubernetes.io/";
    if (random.nextInt(6) == 0) {
      annotations.add(prefix + "use-regex: 'true'");
    }
    if (random.nextInt(8) == 0) {
      annotations.add(prefix + "rewrite-target: /p1");
    }
    if (random.nextInt(6) == 0) {
      annotations.add(prefix + "server-alias: 'h" + random.nextInt(4) + ".test, alias.test'");
    }
    if (random.nextInt(6) == 0) {
      annotations.add(prefix + "from-to-www-redirect: 'true'");
    }
    if (random.nextInt(8) == 0) {
      annotations.add(prefix + "app-root: /p" + random.nextInt(3));
    }
    if (random.nextInt(8) == 0) {
      annotations.add(prefix + "custom-http-errors: '404'");
      annotations.add(prefix + "default-backend: svc-" + random.nextInt(4));
    }
    return String.join(", ", annotations);
  }

  @Test
  void anotherFixtureAfterwardsIsTranslatedAsIfFirst() throws Exception {
    Path dir = Path.of(getClass().getResource("/translate").toURI());
    String first = Files.readString(dir.resolve("conflict-oldest-wins.yaml"));
    String second = Files.readString(dir.resolve("basic-host-paths.yaml"));
    Translator kept = translator(first);
    kept.translate(ClusterSnapshot.of(parse(first)));
    assertSameAsFresh(first, kept, parse(second), "another fixture");
  }

  @Test
  void unchangedIngressesKeepTheirRoutes() throws Exception {
    Path dir = Path.of(getClass().getResource("/translate").toURI());
    String text = Files.readString(dir.resolve("basic-host-paths.yaml"));
    Translator kept = translator(text);
    List<HasMetadata> objects = parse(text);
    Translation before = kept.translate(ClusterSnapshot.of(objects));
    Translation after = kept.translate(ClusterSnapshot.of(objects));
    for (int i = 0; i < before.routes().routes().size(); i++) {
      Route route = before.routes().routes().get(i);
      assertSame(route, after.routes().routes().get(i), route.toString());
    }
  }

  @Test
  void aRuleWithCanariesKeepsItsObjectAndWeightCounterWhenAnotherRuleOfItsHostChanges()
      throws Exception {
    Path dir = Path.of(getClass().getResource("/translate").toURI());
    String text = Files.readString(dir.resolve("canary-several.yaml"));
    Translator kept = translator(text);
    List<HasMetadata> objects = parse(text);
    Route before =
        kept.translate(ClusterSnapshot.of(objects)).routes().match("app.test", "/").route();
    // Another path on the same host: the host is rebuilt, the rule with canaries is not new.
    objects.add(
        parse(
                """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: more, namespace: default, creationTimestamp: "2026-02-01T00:00:00Z"}
                spec:
                  ingressClassName: portico
                  rules:
                  - {host: app.test, http: {paths: [{path: /more, pathType: Prefix, backend: {service: {name: main-svc, port: {number: 80}}}}]}}
                """)
            .get(0));
    Translation after = kept.translate(ClusterSnapshot.of(objects));
    assertEquals("/more", after.routes().match("app.test", "/more").route().path().path());
    assertSame(before, after.routes().match("app.test", "/").route());
  }

  private static void assertSameAsFresh(
      String text, Translator kept, List<HasMetadata> objects, String what) {
    ClusterSnapshot snapshot = ClusterSnapshot.of(objects);
    Translation expected = translator(text).translate(snapshot);
    Translation actual = kept.translate(snapshot);
    assertEquals(expected.dump(), actual.dump(), what);
    assertEquals(expected.routes(), actual.routes(), what);
    assertEquals(expected.ownedIngresses(), actual.ownedIngresses(), what);
    assertEquals(expected.referencedServices(), actual.referencedServices(), what);
    assertEquals(expected.referencedSecrets(), actual.referencedSecrets(), what);
    assertEquals(expected.annotations(), actual.annotations(), what);
  }

  private static Translator translator(String text) {
    return new Translator(
        TranslatorFixtureTest.settings(text),
        TranslatorFixtureTest.FIXED,
        AffinityKey.builtIn(),
        TranslatorFixtureTest.TLS.withDefaultSecret(TranslatorFixtureTest.defaultTlsSecret(text)));
  }

  private static List<HasMetadata> parse(String text) throws Exception {
    return new ArrayList<>(new ManifestParser().parse("fixture.yaml", text));
  }
}
