package io.portico.router.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portico.router.policy.TestPolicies.Head;
import io.portico.router.policy.TestPolicies.Request;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTPS rules as policies, without a server: what they decide for each kind of request. */
class HttpsPoliciesTest {

  /** What the redirect policy did: the answer's Location, or "proceed". */
  private static String redirect(PolicyRequest request) {
    return redirect(HttpsRedirectPolicy.INSTANCE, 308, request);
  }

  /** What {@code policy} did: the answer's Location (with status {@code status}), or "proceed". */
  private static String redirect(HttpsRedirectPolicy policy, int status, PolicyRequest request) {
    StringBuilder decided = new StringBuilder();
    PolicyChain chain =
        new PolicyChain(
            RoutePolicies.of(policy),
            request,
            new PolicyChain.Outcome() {
              @Override
              public void proceeded(PolicyChain chain) {
                decided.append("proceed");
              }

              @Override
              public void answered(PolicyChain chain, PolicyAnswer answer) {
                assertEquals(status, answer.status());
                assertNull(answer.body());
                assertEquals(1, answer.headers().size());
                assertEquals("location", answer.headers().get(0).name());
                decided.append(answer.headers().get(0).value());
              }

              @Override
              public void failed(RequestPolicy policy, RuntimeException error) {
                throw error;
              }

              @Override
              public void execute(Runnable step) {
                step.run();
              }
            });
    chain.start();
    return decided.toString();
  }

  @Test
  void plainHttpIsRedirectedToTheSameUrlOverHttps() {
    assertEquals(
        "https://secure.test/a/../b%2Fc?q=1",
        redirect(Request.plain("secure.test", "/a/../b%2Fc?q=1")));
    assertEquals(
        "https://secure.test:8443/x",
        redirect(new Request("secure.test", "/x", new ListenerFacts(false, 8443, false))));
    assertEquals("https://[::1]/x", redirect(Request.plain("::1", "/x")));
    assertEquals("https://[::1]/x", redirect(Request.plain("[::1]", "/x")));
  }

  @Test
  void oneTrailingSlashIsLeftOutUnlessTheIngressPreservesIt() {
    // forcesslredirect.go and preservetrailingslash.go.
    assertEquals(
        "https://forcesslredirect.bar.com",
        redirect(Request.plain("forcesslredirect.bar.com", "/")));
    assertEquals("https://a.test/x", redirect(Request.plain("a.test", "/x/")));
    assertEquals("https://a.test/x/?q=1", redirect(Request.plain("a.test", "/x/?q=1")));
    assertEquals(
        "https://forcesslredirect.bar.com/",
        redirect(
            new HttpsRedirectPolicy(308, true),
            308,
            Request.plain("forcesslredirect.bar.com", "/")));
  }

  @Test
  void httpsAcmeChallengesAndRequestsWithoutAHostGoOn() {
    assertEquals("proceed", redirect(Request.tls("secure.test", "/x")));
    assertEquals(
        "proceed", redirect(Request.plain("secure.test", "/.well-known/acme-challenge/token")));
    assertEquals(
        "https://secure.test/.well-known/other",
        redirect(Request.plain("secure.test", "/.well-known/other")));
    assertEquals("proceed", redirect(Request.plain(null, "/x")));
    assertEquals("proceed", redirect(Request.plain("", "/x")));
  }

  @Test
  void hstsReplacesTheBackendsValueOverHttpsOnlyAndOnlyWhenTheListenerAllows() {
    Map<String, String> head = new HashMap<>(Map.of("strict-transport-security", "max-age=1"));
    StrictTransportSecurityPolicy.INSTANCE.editResponseHead(
        Request.tls("secure.test", "/"), new Head(200, head));
    assertEquals(StrictTransportSecurityPolicy.VALUE, head.get("strict-transport-security"));

    for (PolicyRequest untouched :
        List.of(
            Request.plain("secure.test", "/"),
            new Request("secure.test", "/", new ListenerFacts(true, 443, false)))) {
      Map<String, String> other = new HashMap<>();
      StrictTransportSecurityPolicy.INSTANCE.editResponseHead(untouched, new Head(200, other));
      assertEquals(Map.of(), other);
    }
  }

  @Test
  void theRedirectStatusIsTheConfiguredOne() {
    for (int status : new int[] {301, 302, 307, 308}) {
      assertEquals(
          "https://secure.test/x?q",
          redirect(new HttpsRedirectPolicy(status), status, Request.plain("secure.test", "/x?q")));
    }
    assertThrows(IllegalArgumentException.class, () -> new HttpsRedirectPolicy(303));
  }

  @Test
  void hstsCarriesTheConfiguredValue() {
    assertEquals(
        StrictTransportSecurityPolicy.VALUE,
        StrictTransportSecurityPolicy.value(31_536_000, true, false));
    String value = StrictTransportSecurityPolicy.value(600, false, true);
    assertEquals("max-age=600; preload", value);
    Map<String, String> head = new HashMap<>();
    new StrictTransportSecurityPolicy(value)
        .editResponseHead(Request.tls("secure.test", "/"), new Head(200, head));
    assertEquals(Map.of("strict-transport-security", "max-age=600; preload"), head);
    assertThrows(
        IllegalArgumentException.class,
        () -> new StrictTransportSecurityPolicy("max-age=1\r\nSet-Cookie: a=b"));
    assertThrows(IllegalArgumentException.class, () -> new StrictTransportSecurityPolicy("1"));
  }
}
