package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.controller.config.ConfigKeys.RiskLevel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnotationRiskTest {

  @Test
  void everyCatalogueNameHasARiskAndEveryRiskACatalogueName() {
    List<String> catalogue = AnnotationCatalogue.entries().stream().map(e -> e.name()).toList();
    List<String> risks = new ArrayList<>(AnnotationRisk.all().keySet());
    assertEquals(catalogue, risks);
  }

  /**
   * ingress-nginx v1.15.1's counts: 136 names in annotations-risk.md and two aliases; and the four
   * global rate limits of v1.11 (two Low, one Medium, one High).
   */
  @Test
  void theRisksAreIngressNginxs() {
    Map<RiskLevel, Integer> counts = new EnumMap<>(RiskLevel.class);
    AnnotationRisk.all().values().forEach(risk -> counts.merge(risk, 1, Integer::sum));
    assertEquals(
        Map.of(RiskLevel.LOW, 79, RiskLevel.MEDIUM, 47, RiskLevel.HIGH, 11, RiskLevel.CRITICAL, 5),
        counts);
    for (AnnotationCatalogue.Entry entry : AnnotationCatalogue.entries()) {
      if (entry.category() == Category.SNIPPET) {
        assertEquals(RiskLevel.CRITICAL, AnnotationRisk.of(entry.name()).orElseThrow());
      }
    }
    // An alias has the risk of its annotation.
    assertEquals(
        AnnotationRisk.of("allowlist-source-range"), AnnotationRisk.of("whitelist-source-range"));
    assertEquals(AnnotationRisk.of("limit-allowlist"), AnnotationRisk.of("limit-whitelist"));
  }
}
