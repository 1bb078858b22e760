package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BooleansTest {

  @ParameterizedTest
  @CsvSource({
    "1, true",
    "t, true",
    "T, true",
    "TRUE, true",
    "true, true",
    "True, true",
    "tRuE, true",
    "0, false",
    "f, false",
    "F, false",
    "FALSE, false",
    "false, false",
    "False, false",
    "yes, ",
    "on, ",
    "off, ",
    "'', ",
    "2, ",
    "truee, "
  })
  void readsWhatIngressNginxReads(String value, Boolean expected) {
    assertEquals(Optional.ofNullable(expected), Booleans.parse(value));
  }
}
