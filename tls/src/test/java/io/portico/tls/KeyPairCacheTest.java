package io.portico.tls;

import static io.portico.tls.Fixtures.pem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyPairCacheTest {

  private final AtomicInteger parses = new AtomicInteger();
  private final KeyPairCache cache =
      new KeyPairCache(
          100,
          (crt, key) -> {
            parses.incrementAndGet();
            return TlsKeyPair.fromPem(crt, key);
          });

  @Test
  void secondLookupOfAVersionDoesNotReparse() throws Exception {
    TlsKeyPair first = cache.get("default/app@1", pem("ec.crt"), pem("ec-sec1.key"));
    TlsKeyPair second = cache.get("default/app@1", pem("ec.crt"), pem("ec-sec1.key"));

    assertSame(first, second);
    assertEquals(1, parses.get());
  }

  @Test
  void newVersionIsParsed() throws Exception {
    TlsKeyPair v1 = cache.get("default/app@1", pem("ec.crt"), pem("ec-sec1.key"));
    TlsKeyPair v2 = cache.get("default/app@2", pem("rsa.crt"), pem("rsa-pkcs1.key"));

    assertNotEquals(v1, v2);
    assertEquals(2, parses.get());
  }

  @Test
  void failuresAreCachedWithTheirMessage() {
    for (int i = 0; i < 3; i++) {
      TlsMaterialException e =
          assertThrows(
              TlsMaterialException.class,
              () -> cache.get("default/broken@7", pem("rsa.crt"), pem("ec-pkcs8.key")));
      assertTrue(
          e.getMessage().startsWith("tls.key: private key does not match the certificate"),
          e.getMessage());
    }
    assertEquals(1, parses.get());
  }

  @Test
  void sizeIsBounded() throws Exception {
    KeyPairCache small = new KeyPairCache(2);
    for (int i = 0; i < 10; i++) {
      small.get("default/app@" + i, pem("ec.crt"), pem("ec-sec1.key"));
    }
    assertTrue(small.size() <= 2, "size " + small.size());
    assertThrows(IllegalArgumentException.class, () -> new KeyPairCache(0));
  }

  @Test
  void contentKeyFollowsTheText() {
    String key = KeyPairCache.contentKey(pem("ec.crt"), pem("ec-sec1.key"));

    assertEquals(key, KeyPairCache.contentKey(pem("ec.crt"), pem("ec-sec1.key")));
    assertNotEquals(key, KeyPairCache.contentKey(pem("ec.crt"), pem("ec-pkcs8.key")));
    // The boundary between the two values matters: moving text across it changes the key.
    assertNotEquals(KeyPairCache.contentKey("ab", "c"), KeyPairCache.contentKey("a", "bc"));
    assertTrue(key.startsWith("sha256:"));
  }
}
