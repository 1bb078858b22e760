package io.portico.router.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CookieValuesTest {

  @Test
  void aSessionKeyIsSpelledExactlyAsBase64urlOfItsBytes() {
    SplittableRandom random = new SplittableRandom(7);
    long[] samples = {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0123456789abcdefL};
    for (int i = 0; i < 1000; i++) {
      long session = i < samples.length ? samples[i] : random.nextLong();
      String text = CookieValues.encodeSession(session);
      String expected =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(ByteBuffer.allocate(8).putLong(session).array());
      assertEquals(expected, text);
      assertTrue(CookieValues.isSession(text, 0), text);
      assertEquals(session, CookieValues.decodeSession(text, 0), text);
    }
  }

  @Test
  void onlyCanonicalSessionSpellingsAreAccepted() {
    String valid = CookieValues.encodeSession(42);
    assertTrue(CookieValues.isSession("xx" + valid, 2));
    assertFalse(CookieValues.isSession(valid.substring(1), 0), "too short");
    assertFalse(CookieValues.isSession(valid.substring(0, 10) + "B", 0), "padding bits set");
    assertFalse(CookieValues.isSession("AAAAAAAAAA=", 0), "padding character");
    assertFalse(CookieValues.isSession("AAAAA AAAAA", 0), "space");
    assertFalse(CookieValues.isSession("AAAAA;AAAAA", 0), "semicolon");
    assertFalse(CookieValues.isSession("AAAAAéAAAAA", 0), "not ASCII");
  }
}
