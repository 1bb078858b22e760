package io.portico.router.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portico.router.policy.PolicyAnswer.Header;
import io.portico.router.policy.TestPolicies.Head;
import io.portico.router.policy.TestPolicies.Request;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Response headers as a policy, without a server. */
class ResponseHeadersPolicyTest {

  @Test
  void headersReplaceTheBackendsOnPlainAndTlsResponsesAndTheLastOfANameWins() {
    ResponseHeadersPolicy policy =
        new ResponseHeadersPolicy(
            List.of(
                new Header("x-frame-options", "SAMEORIGIN"),
                new Header("x-custom", "from add-headers"),
                new Header("x-custom", "from custom-headers")));
    assertEquals(PolicyPhase.HEADERS, policy.phase());
    for (PolicyRequest request :
        List.of(Request.plain("a.test", "/"), Request.tls("a.test", "/"))) {
      Map<String, String> head = new HashMap<>(Map.of("x-frame-options", "ALLOW"));
      policy.editResponseHead(request, new Head(502, head));
      assertEquals(
          Map.of("x-frame-options", "SAMEORIGIN", "x-custom", "from custom-headers"), head);
    }
  }

  @Test
  void namesAndValuesThatCouldSplitTheHeaderBlockAreRefusedWhenBuilt() {
    assertThrows(IllegalArgumentException.class, () -> new Header("x bad", "1"));
    assertThrows(IllegalArgumentException.class, () -> new Header("x:bad", "1"));
    assertThrows(IllegalArgumentException.class, () -> new Header("x-ok", "1\r\nset-cookie: a"));
    assertThrows(IllegalArgumentException.class, () -> new ResponseHeadersPolicy(List.of()));
  }
}
