package io.portico.router.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.policy.TestPolicies.Decision;
import io.portico.router.policy.TestPolicies.Request;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The redirect and header policies of ingress-nginx's routing annotations, without a server: what
 * each answers or changes, with the cases of ingress-nginx's e2e tests (redirect.go, approot.go,
 * fromtowwwredirect.go, upstreamvhost.go, default_backend.go) and the details nginx adds.
 */
class RoutingPoliciesTest {

  @Test
  void permanentAndTemporalRedirectsAnswerTheirUrlAsItIs() {
    // redirect.go: "should respond with a standard redirect code".
    Decision standard =
        Decision.of(
            new RedirectPolicy(301, "http://redirect.example.com"),
            Request.plain("redirect.test", "/something?q=1"));
    assertEquals(301, standard.status());
    assertEquals("http://redirect.example.com", standard.location());
    // "should respond with a custom redirect code".
    Decision custom =
        Decision.of(
            new RedirectPolicy(308, "http://redirect.example.com"),
            Request.plain("redirect.test", "/something"));
    assertEquals(308, custom.status());
    assertEquals("http://redirect.example.com", custom.location());
    // relativeredirects.go: a path is made absolute with the request's scheme and host, no port.
    assertEquals(
        "http://rr.foo.com/new-location",
        Decision.of(new RedirectPolicy(301, "/new-location"), Request.plain("rr.foo.com", "/x"))
            .location());
    assertEquals(
        "https://rr.foo.com/new-location",
        Decision.of(
                new RedirectPolicy(302, "/new-location"),
                Request.tls("rr.foo.com", "/x").port(8443))
            .location());
  }

  @Test
  void redirectStatusesWithoutALocationCarryTheUrlAsTheirBody() {
    Decision multiple =
        Decision.of(new RedirectPolicy(300, "http://a.test/"), Request.plain("x.test", "/"));
    assertEquals(300, multiple.status());
    assertNull(multiple.location());
    assertEquals("http://a.test/", multiple.answer().body());
    assertThrows(IllegalArgumentException.class, () -> new RedirectPolicy(309, "http://a.test"));
    assertThrows(IllegalArgumentException.class, () -> new RedirectPolicy(301, "http://a\r\nb"));
  }

  @Test
  void appRootRedirectsOnlyTheRootWithTheHostAsSent() {
    // approot.go: "should redirect to /foo".
    Decision root = Decision.of(new AppRootPolicy("/foo"), Request.plain("approot.bar.com", "/"));
    assertEquals(302, root.status());
    assertEquals("http://approot.bar.com/foo", root.location());
    // $http_host keeps the port; the query is not kept.
    assertEquals(
        "http://approot.bar.com:8080/foo",
        Decision.of(new AppRootPolicy("/foo"), Request.plain("approot.bar.com", "/?a=1").port(8080))
            .location());
    assertEquals(
        "https://approot.bar.com/foo",
        Decision.of(new AppRootPolicy("/foo"), Request.tls("approot.bar.com", "/")).location());
    assertTrue(
        Decision.of(new AppRootPolicy("/foo"), Request.plain("approot.bar.com", "/foo"))
            .proceeded());
    assertThrows(IllegalArgumentException.class, () -> new AppRootPolicy("http://evil.test/"));
    assertThrows(IllegalArgumentException.class, () -> new AppRootPolicy("//evil.test/"));
  }

  @Test
  void fromToWwwRedirectsToTheHostWithoutTheDefaultPort() {
    HostRedirectPolicy toApex = new HostRedirectPolicy("fromtowwwredirect.bar.com", 308);
    // fromtowwwredirect.go: "should redirect from www HTTP to HTTP" (no port: it is the default).
    Decision plain = Decision.of(toApex, Request.plain("www.fromtowwwredirect.bar.com", "/foo"));
    assertEquals(308, plain.status());
    assertEquals("http://fromtowwwredirect.bar.com/foo", plain.location());
    // "should redirect from www HTTPS to HTTPS": one trailing slash of the URI goes.
    assertEquals(
        "https://fromtowwwredirect.bar.com",
        Decision.of(toApex, Request.tls("www.fromtowwwredirect.bar.com", "/")).location());
    assertEquals(
        "http://fromtowwwredirect.bar.com:8080/a/b?q=1",
        Decision.of(toApex, Request.plain("www.fromtowwwredirect.bar.com", "/a/b?q=1").port(8080))
            .location());
    assertEquals(
        "http://fromtowwwredirect.bar.com/a",
        Decision.of(toApex, Request.plain("www.fromtowwwredirect.bar.com", "/a/").port(80))
            .location());
    assertEquals(
        "https://fromtowwwredirect.bar.com:80/a",
        Decision.of(toApex, Request.tls("www.fromtowwwredirect.bar.com", "/a").port(80))
            .location());
  }

  @Test
  void theTrailingSlashRedirectKeepsTheQueryAndLeavesThePortOut() {
    TrailingSlashRedirectPolicy slash = new TrailingSlashRedirectPolicy("/foo/");
    Decision plain = Decision.of(slash, Request.plain("App.Test", "/foo?a=1&b").port(8080));
    assertEquals(301, plain.status());
    assertEquals("http://app.test/foo/?a=1&b", plain.location());
    assertEquals(
        "https://app.test/foo/", Decision.of(slash, Request.tls("app.test", "/foo")).location());
    assertEquals("/foo/", Decision.of(slash, Request.plain(null, "/foo")).location());
  }

  @Test
  void upstreamVhostChangesOnlyTheHostTheBackendGets() {
    // upstreamvhost.go: "set host to upstreamvhost.bar.com".
    Decision vhost =
        Decision.of(
            new UpstreamHostPolicy("upstreamvhost.bar.com"), Request.plain("app.test", "/"));
    assertTrue(vhost.proceeded());
    assertEquals("upstreamvhost.bar.com", vhost.changes().authority());
    assertNull(vhost.upstreamUri());
    assertThrows(IllegalArgumentException.class, () -> new UpstreamHostPolicy("$host"));
    assertThrows(IllegalArgumentException.class, () -> new UpstreamHostPolicy("a b"));
  }

  @Test
  void aDefaultBackendForAServiceWithoutEndpointsIsToldWhy() {
    // default_backend.go: "should use a custom default backend as upstream".
    Decision told =
        Decision.of(
            new DefaultBackendHeadersPolicy(
                new ErrorPageContext("ns", "default-backend", "invalid", "80")),
            Request.plain("app.test", "/alma/armud").header("accept", "text/html"));
    assertTrue(told.proceeded());
    assertNull(told.upstreamUri());
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("X-Code", "503");
    expected.put("X-Format", "text/html");
    expected.put("X-Namespace", "ns");
    expected.put("X-Ingress-Name", "default-backend");
    expected.put("X-Service-Name", "invalid");
    expected.put("X-Service-Port", "80");
    assertEquals(expected, told.upstreamHeaders());
  }
}
