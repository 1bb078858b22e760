package io.portico.router.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MirrorPolicyTest {

  @ParameterizedTest(name = "{0} $request_uri={1}: {2} -> {4}")
  @CsvSource(
      nullValues = "-",
      value = {
        "/mirror, false, /shop?a=1, a=1, /mirror?a=1",
        "/mirror, false, /shop, -, /mirror",
        "'', true, /shop?a=1, a=1, /shop?a=1",
        "/, true, /shop?a=1, a=1, /shop?a=1",
        "/copy, true, /shop?a=1, a=1, /copy/shop?a=1",
      })
  void theCopysUriFollowsTheTarget(
      String path, boolean withRequestUri, String requestUri, String query, String expected) {
    assertEquals(
        expected, new MirrorPolicy(path, withRequestUri, "m.test", true).uri(requestUri, query));
  }

  @Test
  void refusesWhatCannotBeSent() {
    assertThrows(IllegalArgumentException.class, () -> new MirrorPolicy("", false, "m", true));
    assertThrows(IllegalArgumentException.class, () -> new MirrorPolicy("/a b", false, "m", true));
    assertThrows(IllegalArgumentException.class, () -> new MirrorPolicy("/a?b", false, "m", true));
    assertThrows(
        IllegalArgumentException.class, () -> new MirrorPolicy("/a", false, "m\r\nx: y", true));
  }

  @Test
  void theChainPassesTheCopyOnWithTheUpstreamChanges() {
    MirrorPolicy copy = new MirrorPolicy("/mirror", false, "m.test", true);
    PolicyChain.Outcome outcome =
        new PolicyChain.Outcome() {
          @Override
          public void proceeded(PolicyChain chain) {}

          @Override
          public void answered(PolicyChain chain, PolicyAnswer answer) {}

          @Override
          public void failed(RequestPolicy policy, RuntimeException error) {
            throw error;
          }

          @Override
          public void execute(Runnable step) {
            step.run();
          }
        };
    PolicyChain chain =
        new PolicyChain(
            RoutePolicies.of(copy), TestPolicies.Request.plain("a.test", "/x"), outcome);
    chain.start();
    UpstreamChanges changes = chain.upstreamChanges();
    assertSame(copy, changes.mirror());
    assertEquals(0, changes.backend());
    assertNull(changes.uri());
  }
}
