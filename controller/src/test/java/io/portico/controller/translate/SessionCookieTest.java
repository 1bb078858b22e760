package io.portico.controller.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.router.route.PathMatch;
import org.junit.jupiter.api.Test;

/** The {@code Path} of a rule's session cookie, as GEP-1619 describes it. */
class SessionCookieTest {

  @Test
  void thePathIsTheRulesPath() {
    assertEquals("/", GatewayListeners.cookiePath(PathMatch.prefix("/")));
    assertEquals("/cart", GatewayListeners.cookiePath(PathMatch.prefix("/cart/")));
    assertEquals("/cart/item", GatewayListeners.cookiePath(PathMatch.exact("/cart/item")));
  }

  @Test
  void aRegularExpressionGivesItsLiteralSegments() {
    assertEquals(
        "/p1/p2", GatewayListeners.cookiePath(PathMatch.regularExpression("/p1/p2/[a-z]+/p3")));
    assertEquals("/p1", GatewayListeners.cookiePath(PathMatch.regularExpression("/p1/p2.*")));
    assertEquals("/", GatewayListeners.cookiePath(PathMatch.regularExpression("/(a|b)/c")));
  }

  @Test
  void aPathACookieCannotCarryIsTheWholeSite() {
    assertEquals("/", GatewayListeners.cookiePath(PathMatch.exact("/a;b")));
  }
}
