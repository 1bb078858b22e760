package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.annotations.AnnotationCatalogue.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AnnotationCatalogueTest {

  /** ingress-nginx v1.11's global rate limits: removed in v1.12, honoured by Portico. */
  static final List<String> GLOBAL_RATE_LIMITS =
      List.of(
          "global-rate-limit",
          "global-rate-limit-ignored-cidrs",
          "global-rate-limit-key",
          "global-rate-limit-window");

  @Test
  void listsEveryNameIngressNginxReadsAndNothingElse() throws IOException {
    List<String> names = AnnotationCatalogue.entries().stream().map(Entry::name).toList();
    TreeSet<String> expected = new TreeSet<>(ingressNginxNames());
    expected.addAll(GLOBAL_RATE_LIMITS);
    assertEquals(new ArrayList<>(expected), names);
    assertEquals(142, names.size());
  }

  @Test
  void honoursTheGlobalRateLimitsWithTheirFamily() {
    for (String name : GLOBAL_RATE_LIMITS) {
      Entry entry = AnnotationCatalogue.find(name).orElseThrow();
      assertEquals(Fate.HONOURED, entry.fate(), name);
      assertEquals(Category.PROTECTION, entry.category(), name);
      assertEquals(GlobalRateLimitFamily.NAME, entry.note(), name);
    }
  }

  @Test
  void isSortedByNameWithoutDuplicates() {
    List<String> names = AnnotationCatalogue.entries().stream().map(Entry::name).toList();
    assertEquals(new ArrayList<>(new TreeSet<>(names)), names);
  }

  @Test
  void neverIgnoresWhatGuardsAccessOrProtects() {
    for (Entry entry : AnnotationCatalogue.entries()) {
      if (entry.category().refusesWhenNotHonoured()) {
        assertNotEquals(Fate.IGNORED, entry.fate(), entry.name());
      }
    }
  }

  @Test
  void everyRefusalAndIgnoreSaysWhy() {
    for (Entry entry : AnnotationCatalogue.entries()) {
      assertEquals(entry.fate() == Fate.HONOURED, entry.family().isPresent(), entry.name());
      entry.reason().ifPresent(why -> assertTrue(why.length() > 10, entry.name() + ": " + why));
    }
  }

  @Test
  void honouredNamesAreExactlyTheNamesTheFamiliesRead() {
    Map<String, String> declared = new TreeMap<>();
    for (AnnotationFamily family : AnnotationFamilies.standard()) {
      for (String name : family.annotations()) {
        assertEquals(null, declared.put(name, family.name()), name + " read by two families");
      }
    }
    Map<String, String> honoured = new TreeMap<>();
    for (Entry entry : AnnotationCatalogue.entries()) {
      entry.family().ifPresent(family -> honoured.put(entry.name(), family));
    }
    assertEquals(declared, honoured);
  }

  @Test
  void honoursTheAffinityFamilyLoadBalanceAndTheHttpsRedirects() {
    Set<String> honoured = new TreeSet<>();
    AnnotationCatalogue.entries().stream()
        .filter(e -> e.fate() == Fate.HONOURED)
        .forEach(e -> honoured.add(e.name()));
    assertTrue(honoured.containsAll(Set.of("affinity", "load-balance", "ssl-redirect")));
    assertTrue(honoured.contains("force-ssl-redirect"));
    assertTrue(honoured.contains("session-cookie-name"));
  }

  @Test
  void honoursEveryCanaryAndMirrorAnnotation() {
    for (Entry entry : AnnotationCatalogue.entries()) {
      if (entry.category() == Category.CANARY || entry.category() == Category.MIRROR) {
        assertEquals(Fate.HONOURED, entry.fate(), entry.name());
      }
    }
    assertEquals("canary", AnnotationCatalogue.find("canary-weight").orElseThrow().note());
    assertEquals("mirror", AnnotationCatalogue.find("mirror-target").orElseThrow().note());
  }

  @Test
  void basicAuthIsHonouredByItsFamily() {
    for (String name : List.of("auth-realm", "auth-secret", "auth-secret-type", "auth-type")) {
      Entry entry = AnnotationCatalogue.find(name).orElseThrow();
      assertEquals(Fate.HONOURED, entry.fate(), name);
      assertEquals(BasicAuthFamily.NAME, entry.note(), name);
    }
    assertEquals(
        Set.of("auth-realm", "auth-secret", "auth-secret-type", "auth-type"),
        new BasicAuthFamily().annotations());
  }

  @Test
  void refusesTheAnnotationsTheIssueNames() {
    for (String name :
        List.of(
            "enable-modsecurity",
            "enable-owasp-core-rules",
            "configuration-snippet",
            "server-snippet",
            "auth-snippet",
            "stream-snippet",
            "modsecurity-snippet")) {
      Entry entry = AnnotationCatalogue.find(name).orElseThrow();
      assertEquals(Fate.REFUSED, entry.fate(), name);
    }
  }

  @Test
  void switchesOffAreInert() {
    assertTrue(AnnotationCatalogue.find("enable-modsecurity").orElseThrow().inert("false"));
    assertTrue(AnnotationCatalogue.find("enable-owasp-core-rules").orElseThrow().inert("false"));
    assertTrue(!AnnotationCatalogue.find("enable-owasp-core-rules").orElseThrow().inert("true"));
    assertTrue(!AnnotationCatalogue.find("enable-modsecurity").orElseThrow().inert("true"));
    assertTrue(!AnnotationCatalogue.find("auth-snippet").orElseThrow().inert(""));
  }

  /** The names listed in {@code src/test/resources/annotations/ingress-nginx-v1.15.1.txt}. */
  static List<String> ingressNginxNames() throws IOException {
    try (InputStream in =
        AnnotationCatalogueTest.class.getResourceAsStream(
            "/annotations/ingress-nginx-v1.15.1.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .toList();
    }
  }
}
