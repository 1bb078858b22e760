package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.RewritePolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RewriteFamilyTest {

  private static final RewriteFamily FAMILY = new RewriteFamily();
  private static final String NGINX = "nginx.ingress.kubernetes.io/";
  private static final HostnamePattern HOST = HostnamePattern.of("rewrite.test");

  private static List<RequestPolicy> policies(FamilyRun run, PathMatch path) {
    return run.policy.routeRules().stream()
        .flatMap(rule -> rule.policies(HOST, path).stream())
        .toList();
  }

  @Test
  void useRegexMakesEveryPathARegex() {
    FamilyRun run = FamilyRun.of(FAMILY, Map.of(NGINX + "use-regex", "true"));
    assertTrue(run.policy.routing().regexPath("/foo"));
    assertEquals(List.of(), run.policy.routeRules());
    assertEquals(List.of(), run.reports);
    // Go's ParseBool spellings, as ingress-nginx reads them.
    assertTrue(
        FamilyRun.of(FAMILY, Map.of(NGINX + "use-regex", "T")).policy.routing().regexPath("/"));
    assertFalse(
        FamilyRun.of(FAMILY, Map.of(NGINX + "use-regex", "0")).policy.routing().regexPath("/"));
  }

  @Test
  void rewriteTargetImpliesRegexOnlyWhereItDiffersFromThePath() {
    FamilyRun run = FamilyRun.of(FAMILY, Map.of(NGINX + "rewrite-target", "/new/$1"));
    IngressRouting routing = run.policy.routing();
    assertTrue(routing.regexPath("/old/(.*)"));
    assertFalse(routing.regexPath("/new/$1"));
    List<RequestPolicy> rewrite = policies(run, PathMatch.regex("/old/(.*)"));
    assertEquals(1, rewrite.size());
    assertEquals("/new/$1", ((RewritePolicy) rewrite.get(0)).target().text());
    // A rule whose path is the target itself, or not a regex, is not rewritten.
    assertEquals(List.of(), policies(run, PathMatch.regex("/new/$1")));
    assertEquals(List.of(), policies(run, PathMatch.prefix("/plain")));
  }

  @Test
  void xForwardedPrefixGoesWithTheRewriteAndIsUnusedWithoutOne() {
    FamilyRun with =
        FamilyRun.of(
            FAMILY,
            Map.of(NGINX + "rewrite-target", "/foo", NGINX + "x-forwarded-prefix", "/test/value"));
    RewritePolicy rewrite = (RewritePolicy) policies(with, PathMatch.regex("/")).get(0);
    assertEquals("/test/value", rewrite.forwardedPrefix().text());
    FamilyRun without = FamilyRun.of(FAMILY, Map.of(NGINX + "x-forwarded-prefix", "/test/value"));
    assertEquals(
        List.of("unused x-forwarded-prefix: has no effect without rewrite-target"),
        without.reports);
    assertEquals(IngressPolicy.DEFAULT, without.policy);
  }

  @Test
  void valuesThatAreNotPathTemplatesAreReportedAndNoRewriteApplies() {
    for (String bad :
        List.of("/$host/x", "/x?y=1", "http://evil.test/", "/a b", "relative/$1", "/x%2e")) {
      FamilyRun run = FamilyRun.of(FAMILY, Map.of("portico.io/rewrite-target", bad));
      assertEquals(1, run.reports.size(), bad);
      assertTrue(run.reports.get(0).startsWith("invalid portico.io/rewrite-target: \"" + bad), bad);
      assertNull(run.policy.routing().rewriteTarget(), bad);
      assertEquals(List.of(), run.policy.routeRules(), bad);
    }
    FamilyRun badFlag = FamilyRun.of(FAMILY, Map.of(NGINX + "use-regex", "yes"));
    assertEquals(
        List.of(
            "invalid nginx.ingress.kubernetes.io/use-regex: \"yes\" (expected: true or false);"
                + " false applies"),
        badFlag.reports);
  }
}
