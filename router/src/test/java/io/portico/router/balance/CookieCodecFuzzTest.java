package io.portico.router.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Fuzzes the session cookie codec: what a client sends as a cookie value is untrusted text, and the
 * only values that may pin an endpoint are the ones Portico itself made (see docs/security.md,
 * "Fuzzing").
 */
class CookieCodecFuzzTest {

  private static final AffinityKey KEY =
      AffinityKey.of("fuzz-affinity-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final List<String> PODS =
      List.of("uid-a:8080", "uid-b:8080", "10.1.2.3:8080", "uid-d:8080", "uid-e:8080");
  private static final StickyIndex PERSISTENT =
      new StickyIndex(
          KEY,
          "shop/cart:8080",
          CookieAffinity.builder().mode(AffinityMode.PERSISTENT).build(),
          PODS,
          3);
  private static final StickyIndex BALANCED =
      new StickyIndex(KEY, "shop/cart:8080", CookieAffinity.defaults(), PODS, 3);

  /**
   * Any text, read at any offset as a cookie value of any length, pins an endpoint only when the
   * value is exactly one this backend issues: the persistent value of that endpoint, or a session
   * key in its one canonical spelling followed by this backend's tag. Lookup never throws.
   */
  @FuzzTest(maxDuration = "3m")
  void onlyIssuedValuesPinAnEndpoint(byte[] input) {
    // Cookie headers arrive as bytes the HTTP decoder reads as characters 0-255.
    String text = new String(input, StandardCharsets.ISO_8859_1);
    int length = text.length();
    for (int from = 0; from <= length; from++) {
      for (int to : new int[] {from, length, from + StickyIndex.PERSISTENT_CHARS}) {
        if (to <= length) {
          checkPersistent(text, from, to);
        }
      }
      int balancedEnd = from + StickyIndex.BALANCED_CHARS;
      if (balancedEnd <= length) {
        checkBalanced(text, from, balancedEnd);
      }
    }
  }

  /**
   * Session keys: the encoding is base64url of the 8 big-endian bytes, decoding gives the key back,
   * and every key has exactly one spelling that {@link CookieValues#isSession} accepts.
   */
  @FuzzTest(maxDuration = "3m")
  void sessionKeysHaveOneSpelling(byte[] input) {
    byte[] eight = new byte[Long.BYTES];
    System.arraycopy(input, 0, eight, 0, Math.min(input.length, Long.BYTES));
    long session = ByteBuffer.wrap(eight).getLong();
    String encoded = CookieValues.encodeSession(session);
    assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(eight), encoded);
    assertTrue(CookieValues.isSession(encoded, 0), encoded);
    assertEquals(session, CookieValues.decodeSession(encoded, 0));

    String text = new String(input, StandardCharsets.ISO_8859_1);
    for (int from = 0; from + CookieValues.SESSION_CHARS <= text.length(); from++) {
      if (CookieValues.isSession(text, from)) {
        String spelling = text.substring(from, from + CookieValues.SESSION_CHARS);
        assertEquals(
            spelling, CookieValues.encodeSession(CookieValues.decodeSession(text, from)), spelling);
      }
    }
  }

  /**
   * Cookie settings from annotations: a name, path or domain is refused with {@link
   * IllegalArgumentException} or is safe to write into a {@code Set-Cookie} header, where a {@code
   * ;}, white space or a control character could add attributes or headers; a name is a token, and
   * a domain is made of DNS labels.
   */
  @FuzzTest(maxDuration = "3m")
  void acceptedCookieSettingsCannotBreakSetCookie(byte[] input) {
    String[] parts = new String(input, StandardCharsets.UTF_8).split("\n", -1);
    CookieAffinity.Builder builder = CookieAffinity.builder().name(parts[0]);
    if (parts.length > 1) {
      builder.path(parts[1]);
    }
    if (parts.length > 2) {
      builder.domain(parts[2]);
    }
    CookieAffinity affinity;
    try {
      affinity = builder.build();
    } catch (IllegalArgumentException e) {
      return;
    }
    assertHeaderSafe(affinity.name(), "=,\"\\");
    affinity.path().ifPresent(path -> assertHeaderSafe(path, ""));
    affinity.domain().ifPresent(domain -> assertHeaderSafe(domain, "=,\"\\/"));
  }

  private static void checkPersistent(String text, int from, int to) {
    int index = PERSISTENT.match(text, from, to);
    if (index == StickyIndex.NONE) {
      return;
    }
    assertTrue(index >= 0 && index < PODS.size(), () -> "index " + index);
    assertEquals(PERSISTENT.persistentValue(index), text.substring(from, to));
  }

  private static void checkBalanced(String text, int from, int to) {
    int index = BALANCED.match(text, from, to);
    if (index == StickyIndex.NONE) {
      return;
    }
    assertTrue(index >= 0 && index < PODS.size(), () -> "index " + index);
    long session = CookieValues.decodeSession(text, from);
    assertEquals(BALANCED.balancedValue(session), text.substring(from, to));
    assertEquals(BALANCED.endpointOf(session), index);
  }

  private static void assertHeaderSafe(String value, String alsoForbidden) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      assertTrue(
          c > ' ' && c < 0x7f && c != ';' && alsoForbidden.indexOf(c) < 0,
          () -> "unsafe character in " + value);
    }
  }
}
