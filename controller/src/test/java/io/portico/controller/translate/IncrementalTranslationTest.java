package io.portico.controller.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.portico.controller.source.ManifestParser;
import io.portico.router.balance.AffinityKey;
import io.portico.router.route.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
