package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
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
  @CsvSource(
      nullValues = "REFUSED",
      value = {
        "/a/b, /a/b",
        "/a/../b, /b",
        "/a;jsessionid=1/b, /a;jsessionid=1/b",
        "/a/.x;y, /a/.x;y",
        "/a/...;y, /a/...;y",
        "/a/%2e%2e/b, /b",
        "/a/%20b, /a/%20b",
        "/a/%3Bb, /a/%3Bb",
        "/a/..;/b, REFUSED",
        "/a/.;/b, REFUSED",
        "/a/..;x, REFUSED",
        "/a/%2e%2e;/b, REFUSED",
        "/a/%2E;x/b, REFUSED",
        "/a/..%3B/b, REFUSED",
        "/a/..%3b/b, REFUSED",
        "/a\\b, REFUSED",
        "/a/%5Cb, REFUSED",
        "/a/%5cb, REFUSED",
        "/a%2Fb, REFUSED",
        "/a%2fb, REFUSED",
        "/a%00b, REFUSED",
        "/a%0Ab, REFUSED",
        "/a%7Fb, REFUSED",
        "/bad%zz, REFUSED",
      })
  void refusesRequestPathsThatBackendsReadDifferently(String raw, String expected) {
    assertEquals(expected, RequestPaths.normalizeRequest(raw, false));
  }

  @Test
  void refusesRawWhitespaceAndControlCharacters() {
    for (char c = 0; c <= ' '; c++) {
      assertNull(RequestPaths.normalizeRequest("/a" + c + "b", false), "code " + (int) c);
    }
    assertNull(RequestPaths.normalizeRequest("/a\u007fb", false));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"/a%2Fb, /a%2Fb", "/a%2f../b, /a%2F../b", "/a/..%2F/b, /a/..%2F/b"})
  void encodedSlashesAreACharacterOfTheirSegmentWhenAllowed(String raw, String expected) {
    assertEquals(expected, RequestPaths.normalizeRequest(raw, true));
  }

  @ParameterizedTest
  @CsvSource({"/", "/app1/x", "/a.b/c", "/a;v=1/b"})
  void normalRequestPathsAreReturnedAsTheyAre(String path) {
    assertSame(path, RequestPaths.normalizeRequest(path, false));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"/café, /caf%C3%A9", "/a b, /a%20b", "/ok, /ok", "/x/../y, /y"})
  void rulePathsAreEncodedLikeRequests(String rule, String expected) {
    assertEquals(expected, RequestPaths.normalizeRulePath(rule));
  }
}
