package io.portico.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code large-client-header-buffers} as nginx writes it, and the limits it gives. */
class HeaderBuffersTest {

  @Test
  void readsNginxsSyntax() {
    assertEquals(Optional.of(new HeaderBuffers(4, 8192)), HeaderBuffers.parse("4 8k"));
    assertEquals(Optional.of(new HeaderBuffers(8, 16384)), HeaderBuffers.parse(" 8\t16K "));
    assertEquals(Optional.of(new HeaderBuffers(2, 2048)), HeaderBuffers.parse("2 2048"));
  }

  @Test
  void refusesWhatIsNotACountAndASizeWithinBounds() {
    for (String bad :
        new String[] {"", "8k", "4", "4 8k 1", "0 8k", "33 8k", "4 512", "4 1m", "x 8k"}) {
      assertTrue(HeaderBuffers.parse(bad).isEmpty(), bad);
    }
  }

  @Test
  void theLimitsAreOneBufferForTheLineAndAllOfThemForTheHead() {
    assertEquals(8192, HeaderBuffers.DEFAULT.maxRequestLine());
    assertEquals(32768, HeaderBuffers.DEFAULT.maxHeaderBlock());
    assertEquals("4 8k", HeaderBuffers.DEFAULT.toString());
  }
}
