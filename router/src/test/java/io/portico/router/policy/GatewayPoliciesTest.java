package io.portico.router.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Gateway API filters as policies: redirect locations and path rewrites. */
class GatewayPoliciesTest {

  private static String location(GatewayRedirectPolicy policy, TestPolicies.Request request) {
    return policy.location(request);
  }

  @Test
  void aRedirectTakesWhatItDoesNotSayFromTheRequestAndTheGatewayPort() {
    TestPolicies.Request plain = TestPolicies.Request.plain("example.com", "/a/b?q=1");
    assertEquals(
        "http://example.org/a/b?q=1",
        location(new GatewayRedirectPolicy(null, "example.org", 0, null, 302, 80), plain));
    // The Gateway listener's port, never Portico's local one.
    assertEquals(
        "http://example.com:8080/a/b?q=1",
        location(new GatewayRedirectPolicy(null, null, 0, null, 302, 8080), plain));
    // A scheme given by the filter brings its standard port.
    assertEquals(
        "https://example.com/a/b?q=1",
        location(new GatewayRedirectPolicy("https", null, 0, null, 302, 8080), plain));
    assertEquals(
        "https://example.com:8443/a/b?q=1",
        location(new GatewayRedirectPolicy("https", null, 8443, null, 302, 80), plain));
    // Over TLS the scheme is https, and 443 is left out.
    assertEquals(
        "https://example.com/a/b?q=1",
        location(
            new GatewayRedirectPolicy(null, null, 0, null, 301, 443),
            TestPolicies.Request.tls("example.com", "/a/b?q=1")));
    assertEquals(
        "http://example.com/replacement/b?q=1",
        location(
            new GatewayRedirectPolicy(
                null, null, 0, PathRewrite.prefix("/a", "/replacement"), 302, 80),
            plain));
  }

  @Test
  void prefixReplacementKeepsWholeSegments() {
    assertEquals("/new/lemon", PathRewrite.prefix("/old", "/new").apply("/old/lemon"));
    assertEquals("/three", PathRewrite.prefix("/strip", "/").apply("/strip/three"));
    assertEquals("/", PathRewrite.prefix("/strip", "/").apply("/strip"));
    assertEquals("/one/two", PathRewrite.prefix("/prefix/one", "/one").apply("/prefix/one/two"));
    assertEquals("/x/a", PathRewrite.prefix("/", "/x").apply("/a"));
    assertEquals("/one", PathRewrite.fullPath("/one").apply("/full/one/two"));
  }
}
