package io.portico.router.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.policy.TestPolicies.Decision;
import io.portico.router.policy.TestPolicies.Request;
import io.portico.router.route.PathMatch;
import io.portico.router.route.RewritePolicy;
import org.junit.jupiter.api.Test;

/** {@code rewrite-target} as a policy, without a server (ingress-nginx's rewrite.go, and more). */
class RewritePolicyTest {

  private static RewritePolicy rewrite(String path, String target) {
    return new RewritePolicy(
        (PathMatch.Regex) PathMatch.regex(path), RewriteTemplate.of(target), null);
  }

  private static String upstream(RewritePolicy policy, String pathAndQuery) {
    Decision decision = Decision.of(policy, Request.plain("rewrite.test", pathAndQuery));
    assertTrue(decision.proceeded(), () -> "answered " + decision.status());
    return decision.upstreamUri();
  }

  @Test
  void theWholePathIsReplacedAndTheQueryKept() {
    // rewrite.go "should write rewrite logs": /something with target / sends /.
    assertEquals("/", upstream(rewrite("/something", "/"), "/something"));
    assertEquals("/", upstream(rewrite("/something", "/"), "/something/else"));
    assertEquals("/?a=1&b=%20", upstream(rewrite("/something", "/"), "/something/x?a=1&b=%20"));
    // "should allow for custom rewrite parameters".
    assertEquals(
        "/new/backend/bar", upstream(rewrite("/foo/bar/(.+)", "/new/backend/$1"), "/foo/bar/bar"));
    // The rule's expression ignores case, and so do its groups' matches.
    assertEquals(
        "/new/backend/Bar", upstream(rewrite("/foo/bar/(.+)", "/new/backend/$1"), "/FOO/Bar/Bar"));
  }

  @Test
  void groupsFollowNginxRules() {
    RewritePolicy tail = rewrite("/api(/|$)(.*)", "/$2");
    assertEquals("/users/42", upstream(tail, "/api/users/42"));
    assertEquals("/", upstream(tail, "/api"));
    // A group that took no part, or that the expression lacks, is empty; $10 is $1 then 0.
    assertEquals("/x/", upstream(rewrite("/a(b)?/(.*)", "/x/$1"), "/a/c"));
    assertEquals("/x/c", upstream(rewrite("/a/(.*)", "/x/$1$7"), "/a/c"));
    assertEquals("/x/c0", upstream(rewrite("/a/(.*)", "/x/$10"), "/a/c"));
    // A $ that names no group is text, never a variable.
    assertEquals("/x$host/c", upstream(rewrite("/a/(.*)", "/x$host/$1"), "/a/c"));
  }

  @Test
  void anExpressionThatDoesNotMatchLeavesThePathAlone() {
    assertNull(upstream(rewrite("/foo/(.+)", "/bar/$1"), "/other"));
  }

  @Test
  void aRewrittenPathThatLeavesTheTargetIsRefused() {
    // Traefik's CVE-2026-67309, and ingress-nginx's own behaviour: a group yielding ".." must not
    // climb out of the target.
    RewritePolicy assets = rewrite("/assets(.*)", "/static/$1");
    Decision climbed = Decision.of(assets, Request.plain("rewrite.test", "/assets.."));
    assertEquals(400, climbed.status());
    Decision split =
        Decision.of(
            rewrite("/p/(.*)-(.*)", "/static/$1/$2/secret"),
            Request.plain("rewrite.test", "/p/..-.."));
    assertEquals(400, split.status());
    // Escapes glued together by the template ("%2" of "%2F", then "E") are decoded first.
    Decision glued =
        Decision.of(
            rewrite("/e/(..)", "/static/$1E$1E/x"), Request.plain("rewrite.test", "/e/%2F"));
    assertEquals(400, glued.status());
    // Inside the target, dot segments are resolved before the path goes upstream.
    assertEquals("/static/b", upstream(assets, "/assets/a/..%2Fb".replace("%2F", "/")));
    assertEquals("/static/x", upstream(rewrite("/p/(.*)", "/static/$1"), "/p/y/../x"));
  }

  @Test
  void xForwardedPrefixComesWithTheRewrite() {
    // xforwardedprefix.go: the annotation's value, expanded like the target.
    RewritePolicy withPrefix =
        new RewritePolicy(
            (PathMatch.Regex) PathMatch.regex("/(.*)"),
            RewriteTemplate.of("/foo"),
            RewriteTemplate.of("/test/value"));
    Decision decision = Decision.of(withPrefix, Request.plain("rewrite.test", "/"));
    assertEquals("/foo", decision.upstreamUri());
    assertEquals("/test/value", decision.upstreamHeaders().get("X-Forwarded-Prefix"));
    RewritePolicy expanded =
        new RewritePolicy(
            (PathMatch.Regex) PathMatch.regex("/(app)/(.*)"),
            RewriteTemplate.of("/$2"),
            RewriteTemplate.of("/$1"));
    assertEquals(
        "/app",
        Decision.of(expanded, Request.plain("rewrite.test", "/app/x"))
            .upstreamHeaders()
            .get("X-Forwarded-Prefix"));
  }

  @Test
  void targetsThatAreNotPathsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> rewrite("/a", "http://evil.test/"));
    assertThrows(IllegalArgumentException.class, () -> rewrite("/a", "/x?y=1"));
    assertThrows(IllegalArgumentException.class, () -> rewrite("/a", "/x y"));
    assertThrows(IllegalArgumentException.class, () -> rewrite("/a", "/x\r\nHost: b"));
  }

  @Test
  void equalRulesGiveEqualPolicies() {
    assertEquals(rewrite("/a/(.*)", "/$1"), rewrite("/a/(.*)", "/$1"));
    assertFalse(rewrite("/a/(.*)", "/$1").equals(rewrite("/a/(.*)", "/b/$1")));
  }
}
