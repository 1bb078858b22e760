package io.portico.controller.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectKeyTest {

  @Test
  void keysAreEqualExactlyWhenNamespaceAndNameAre() {
    // Built from separate strings, as keys from two parses of the same object are.
    ObjectKey key = new ObjectKey(new String("default"), new String("app"));
    ObjectKey same = new ObjectKey("default", "app");

    assertEquals(same, key);
    assertEquals(same.hashCode(), key.hashCode());
    assertNotEquals(new ObjectKey("default", "other"), key);
    assertNotEquals(new ObjectKey("other", "app"), key);
    // Moving the boundary between the two parts makes another key.
    assertNotEquals(new ObjectKey("defaul", "tapp"), key);
    assertNotEquals(new ObjectKey("", "default/app"), key);
    assertTrue(new HashSet<>(Set.of(key)).contains(same));
  }

  @Test
  void keysOrderByNamespaceThenNameAndPrintAsKubectlNamesThem() {
    assertTrue(new ObjectKey("a", "z").compareTo(new ObjectKey("b", "a")) < 0);
    assertTrue(new ObjectKey("a", "a").compareTo(new ObjectKey("a", "b")) < 0);
    assertEquals("default/app", new ObjectKey("default", "app").toString());
    assertEquals("portico", ObjectKey.clusterScoped("portico").toString());
    assertEquals(new ObjectKey("default", "app"), ObjectKey.parse("default/app"));
    assertThrows(IllegalArgumentException.class, () -> ObjectKey.parse("default/app/x"));
    assertThrows(NullPointerException.class, () -> new ObjectKey("default", null));
  }
}
