package io.portico.controller.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.router.route.HostnamePattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The index of claimed host names finds exactly what testing every claim would, in order. */
class IngressHandOverTest {

  private static final List<String> CLAIMED =
      List.of(
          "shop.example.com",
          "*.example.com",
          "a.b.example.com",
          "",
          "example.com",
          "*.b.example.com",
          "api.example.com",
          "other.test",
          "*.test");

  private static final List<HostnamePattern> INGRESS_HOSTS =
      List.of(
          HostnamePattern.of("shop.example.com"),
          HostnamePattern.of("*.example.com"),
          HostnamePattern.of("*.b.example.com"),
          HostnamePattern.of("example.com"),
          HostnamePattern.of("*.test"),
          HostnamePattern.of("nothing.here"),
          HostnamePattern.of("*.here"),
          HostnamePattern.any());

  @Test
  void findsWhatTestingEveryClaimFindsInTheRulesOrder() {
    Map<String, String> claimed = new LinkedHashMap<>();
    for (int i = 0; i < CLAIMED.size(); i++) {
      claimed.put(CLAIMED.get(i), "rule " + i);
    }
    IngressHandOver.Claims claims = new IngressHandOver.Claims(claimed);
    for (HostnamePattern ingress : INGRESS_HOSTS) {
      List<String> everyClaim = new ArrayList<>();
      claimed.forEach(
          (name, source) -> {
            if (IngressHandOver.gives(ingress, name)) {
              everyClaim.add(source);
            }
          });
      assertEquals(everyClaim, claims.takenFrom(ingress), ingress.toString());
    }
  }

  @Test
  void anExactHostGivesUpOnlyItsOwnNameAndAWildcardTheNamesOneLabelBelow() {
    Map<String, String> claimed = new LinkedHashMap<>();
    CLAIMED.forEach(name -> claimed.put(name, name.isEmpty() ? "(every name)" : name));
    IngressHandOver.Claims claims = new IngressHandOver.Claims(claimed);
    assertEquals(
        List.of("shop.example.com"), claims.takenFrom(HostnamePattern.of("shop.example.com")));
    assertEquals(
        List.of("shop.example.com", "*.example.com", "api.example.com"),
        claims.takenFrom(HostnamePattern.of("*.example.com")));
    assertEquals(List.of(), claims.takenFrom(HostnamePattern.of("nothing.here")));
    assertEquals(CLAIMED.size(), claims.takenFrom(HostnamePattern.any()).size());
  }
}
