package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnnotationValuesTest {

  @Test
  void porticoPrefixWinsAndValuesAreTrimmed() {
    AnnotationValues values =
        AnnotationValues.of(
            Map.of(
                "portico.io/affinity", " cookie\n",
                "nginx.ingress.kubernetes.io/affinity", "none",
                "nginx.ingress.kubernetes.io/load-balance", "random"));
    assertEquals(Optional.of("cookie"), values.get("affinity"));
    assertEquals("portico.io/affinity", values.keyOf("affinity"));
    assertEquals(Optional.of("random"), values.get("load-balance"));
    assertEquals("nginx.ingress.kubernetes.io/load-balance", values.keyOf("load-balance"));
    assertEquals(Optional.empty(), values.get("session-cookie-name"));
  }

  @Test
  void namesCoverBothPrefixesAndNothingElse() {
    AnnotationValues values =
        AnnotationValues.of(
            Map.of(
                "portico.io/rewite-target", "/",
                "nginx.ingress.kubernetes.io/auth-url", "http://auth",
                "kubernetes.io/ingress.class", "nginx",
                "example.com/portico.io/x", "y"));
    assertEquals(Set.of("rewite-target", "auth-url"), values.names());
  }

  @Test
  void recordsWhatWasRead() {
    AnnotationValues values = AnnotationValues.of(Map.of("portico.io/affinity", "cookie"));
    assertTrue(values.has("affinity"));
    assertFalse(values.wasRead("affinity"));
    values.get("affinity");
    values.get("session-cookie-name");
    assertTrue(values.wasRead("affinity"));
    assertTrue(values.wasRead("session-cookie-name"));
  }
}
