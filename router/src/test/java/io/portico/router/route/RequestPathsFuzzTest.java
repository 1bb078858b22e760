package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the path normalisation that routing relies on (see docs/security.md, "Fuzzing"). A request
 * path arrives as bytes, which the HTTP decoder turns into characters 0-255: the fuzzer's bytes are
 * read the same way. Seeds: {@code RequestPathsFuzzTestInputs/<method>/}.
 */
class RequestPathsFuzzTest {

  /**
   * A normalised request path is absolute, has no empty or dot segment, no escape of a character
   * that needs none, and normalising it again changes nothing. A path is refused only when it is
   * not absolute or holds a malformed escape.
   */
  @FuzzTest(maxDuration = "3m")
  void requestPathsNormalizeToASafeFixedPoint(byte[] input) {
    String raw = new String(input, StandardCharsets.ISO_8859_1);
    String normal = RequestPaths.normalize(raw);
    if (normal == null) {
      assertTrue(!raw.startsWith("/") || hasMalformedEscape(raw), () -> "refused: " + raw);
      return;
    }
    assertTrue(raw.startsWith("/") && !hasMalformedEscape(raw), () -> "accepted: " + raw);
    assertNormal(normal, raw);
  }

  /**
   * A rule path normalises like a request path, after encoding what a request line cannot carry, so
   * it is made of printable ASCII only; a rule that is already a normal request path is unchanged.
   */
  @FuzzTest(maxDuration = "3m")
  void rulePathsNormalizeLikeRequestPaths(byte[] input) {
    String rule = new String(input, StandardCharsets.UTF_8);
    String normal = RequestPaths.normalizeRulePath(rule);
    if (normal == null) {
      assertTrue(!rule.startsWith("/") || hasMalformedEscape(rule), () -> "refused: " + rule);
      return;
    }
    assertNormal(normal, rule);
    for (int i = 0; i < normal.length(); i++) {
      char c = normal.charAt(i);
      assertTrue(c > ' ' && c < 0x7f, () -> "unencoded character in " + normal + " from " + rule);
    }
    assertEquals(normal, RequestPaths.normalizeRulePath(normal), () -> "rule " + rule);
  }

  private static void assertNormal(String normal, String raw) {
    assertTrue(normal.startsWith("/"), () -> normal + " from " + raw);
    assertEquals(-1, normal.indexOf("//"), () -> normal + " from " + raw);
    String[] segments = normal.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      assertNotEquals(".", segment, () -> normal + " from " + raw);
      assertNotEquals("..", segment, () -> normal + " from " + raw);
      // Only the last segment may be empty: the root, or a trailing slash.
      if (segment.isEmpty() && i != segments.length - 1) {
        fail("empty segment in " + normal + " from " + raw);
      }
    }
    for (int i = normal.indexOf('%'); i >= 0; i = normal.indexOf('%', i + 1)) {
      assertTrue(i + 2 < normal.length(), () -> normal + " from " + raw);
      int hi = "0123456789ABCDEF".indexOf(normal.charAt(i + 1));
      int lo = "0123456789ABCDEF".indexOf(normal.charAt(i + 2));
      assertTrue(hi >= 0 && lo >= 0, () -> "escape not in upper-case hex: " + normal);
      char decoded = (char) (hi * 16 + lo);
      boolean unreserved =
          Character.isLetterOrDigit(decoded) && decoded < 0x80 || "-._~".indexOf(decoded) >= 0;
      assertTrue(!unreserved, () -> "escape of an unreserved character: " + normal);
    }
    assertEquals(normal, RequestPaths.normalize(normal), () -> "not idempotent from " + raw);
  }

  private static boolean hasMalformedEscape(String path) {
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length() || !isHex(path.charAt(i + 1)) || !isHex(path.charAt(i + 2))) {
        return true;
      }
      i += 2;
    }
    return false;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
