package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The three kinds of rule path, regular expressions above all: what they accept and match. */
class PathMatchTest {

  @Test
  void aPrefixRemembersItsTrailingSlashButClaimsTheSamePaths() {
    PathMatch slashed = PathMatch.prefix("/foo/");
    PathMatch bare = PathMatch.prefix("/foo");
    assertEquals("/foo", slashed.path());
    assertEquals("/foo/", slashed.rulePath());
    assertEquals("/foo", bare.rulePath());
    assertNotEquals(slashed, bare);
    Backend backend = Backend.of(new BackendId("ns", "s", "80"), java.util.List.of());
    RouteOrigin origin = new RouteOrigin("ns", "i");
    HostnamePattern host = HostnamePattern.of("a.test");
    assertEquals(
        new Route(host, slashed, backend, origin).key(),
        new Route(host, bare, backend, origin).key());
    assertEquals("/", PathMatch.prefix("/").rulePath());
  }

  @Test
  void regexesMatchAStartOfThePathIgnoringCase() {
    PathMatch regex = PathMatch.regex("/foo/(bar|baz)/[0-9]+");
    assertTrue(regex.matches("/foo/bar/1"));
    assertTrue(regex.matches("/FOO/Baz/12/more"));
    assertFalse(regex.matches("/x/foo/bar/1"));
    assertFalse(regex.matches("/foo/bar/x"));
    assertEquals("Regex", regex.typeName());
    assertEquals(PathMatch.regex("/a.*"), PathMatch.regex("/a.*"));
  }

  @Test
  void whatRe2CannotMatchInLinearTimeIsRefusedWithTheReason() {
    IllegalArgumentException backreference =
        assertThrows(IllegalArgumentException.class, () -> PathMatch.regex("/(a+)\\1"));
    assertTrue(backreference.getMessage().startsWith("path: /(a+)\\1 (expected: an RE2"));
    assertThrows(IllegalArgumentException.class, () -> PathMatch.regex("/(?=x)"));
    assertThrows(IllegalArgumentException.class, () -> PathMatch.regex("/(unclosed"));
    assertThrows(IllegalArgumentException.class, () -> PathMatch.regex("no-slash"));
  }

  @Test
  void expressionsThatExpandBeyondTheBudgetAreRefusedBeforeTheyAreCompiled() {
    // re2j would expand this to a billion instructions and exhaust the heap.
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          IllegalArgumentException nested =
              assertThrows(
                  IllegalArgumentException.class,
                  () -> PathMatch.regex("/((a{1000}){1000}){1000}"));
          assertTrue(
              nested.getMessage().contains("at most 5000 instructions"), nested.getMessage());
        });
    assertThrows(IllegalArgumentException.class, () -> PathMatch.regex("/[a-z]{6000}"));
    assertThrows(IllegalArgumentException.class, () -> PathMatch.regex("/(ab{100}){60}"));
    // Ordinary expressions are far below it.
    PathMatch.regex("/api/v[0-9]{1,3}/items/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    PathMatch.regex("/x{1000}");
  }

  @Test
  void theBudgetCountsRepetitionsAroundGroups() {
    assertEquals(4, RegexBudget.estimate("/abc", 100));
    assertTrue(RegexBudget.estimate("/(ab){10}", 1000) >= 20);
    assertEquals(1001, RegexBudget.estimate("/((a{10}){10}){11}", 1000));
    // A brace that is not a repetition is a character.
    assertEquals(4, RegexBudget.estimate("/a{b", 100));
    assertEquals(3, RegexBudget.estimate("/[{}]x", 100));
  }

  @Test
  void theLiteralStartIndexesWhatAMatchMustBeginWith() {
    assertEquals("/api/v1/", RegexRules.literalStart("/API/v1/(.*)"));
    assertEquals("/fo", RegexRules.literalStart("/foo?"));
    assertEquals("/fo", RegexRules.literalStart("/foo{2}"));
    assertEquals("/foo", RegexRules.literalStart("/foo+"));
    assertEquals("", RegexRules.literalStart("/a|/b"));
    assertEquals("", RegexRules.literalStart("/(a)|/b"));
    // An alternation inside a group comes after the literal start, as in ingress-nginx's idiom.
    assertEquals("/api", RegexRules.literalStart("/api(/|$)(.*)"));
    assertEquals("/a", RegexRules.literalStart("/a[|]b"));
    assertEquals("", RegexRules.literalStart("/a[|]|"));
    assertEquals("/a", RegexRules.literalStart("/a\\|b(c)"));
    assertEquals("", RegexRules.literalStart("/x\\Q(\\E|/b"));
    assertEquals("", RegexRules.literalStart("/x[[:alpha:](]|/b"));
    assertEquals("/x", RegexRules.literalStart("/x[[:alpha:]|](/|$)"));
    assertEquals("/caf", RegexRules.literalStart("/café"));
    assertEquals("/a", RegexRules.literalStart("/a\\.b"));
  }
}
