package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPathsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "INVALID",
      value = {
        "/, /",
        "/app1, /app1",
        "/app1/, /app1/",
        "//app1, /app1",
        "/a//b///c, /a/b/c",
        "/a/./b, /a/b",
        "/a/../b, /b",
        "/a/b/.., /a/",
        "/a/b/., /a/b/",
        "/.., /",
        "/../.., /",
        "/a/%2e%2E/b, /b",
        "/%41%7a%30%2D%5F%7E, /Az0-_~",
        "/a%2fb, /a%2Fb",
        "/a%20b, /a%20b",
        "/%c3%a9, /%C3%A9",
        "/a/...b, /a/...b",
        "/a/.b/, /a/.b/",
        "/bad%, INVALID",
        "/bad%4, INVALID",
        "/bad%zz, INVALID",
        "relative, INVALID",
        "'', INVALID",
      })
  void normalizesRequestPaths(String raw, String expected) {
    assertEquals(expected, RequestPaths.normalize(raw));
  }

  @ParameterizedTest
  @CsvSource({"/", "/app1/x", "/a.b/c", "/a/..b", "/x/.../y"})
  void normalPathsAreReturnedAsTheyAre(String path) {
    assertSame(path, RequestPaths.normalize(path));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"/café, /caf%C3%A9", "/a b, /a%20b", "/ok, /ok", "/x/../y, /y"})
  void rulePathsAreEncodedLikeRequests(String rule, String expected) {
    assertEquals(expected, RequestPaths.normalizeRulePath(rule));
  }
}
