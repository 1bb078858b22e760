package io.portico.router.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Vectors written by htpasswd and openssl (apache2-utils, OpenSSL 3) on the command line. */
class PasswordHashTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // openssl passwd -apr1 -salt SaLt1234 PASSWORD
        "password|SaLt1234|$apr1$SaLt1234$aJ0bFUAwbtVa5mmvDrRPq0",
        "pässword|SaLt1234|$apr1$SaLt1234$vJwCaagSvugCDDI39RGpz.",
        "''|SaLt1234|$apr1$SaLt1234$Q82EJ82S08fdKzPvBe6mr1",
        "a-much-longer-password-than-sixteen-bytes|SaLt1234|$apr1$SaLt1234$UlN124tKZp/dU2OUOLOua0",
        // printf x | openssl passwd -apr1 -salt ab -stdin
        "x|ab|$apr1$ab$eIePjsejfBGR8ITtu2z0U1",
        // htpasswd -nbm alice wonderland
        "wonderland|U7oixadu|$apr1$U7oixadu$o6TW480cWuwR3ayJ.PIfu.",
      })
  void apacheMd5CryptMatchesKnownVectors(String password, String salt, String expected) {
    assertEquals(expected, AprMd5Crypt.hash(password.getBytes(StandardCharsets.UTF_8), salt));
  }

  @Test
  void everyHtpasswdFormatChecksItsPassword() {
    Map<String, String> hashes =
        Map.of(
            "wonderland", "$apr1$U7oixadu$o6TW480cWuwR3ayJ.PIfu.",
            "builder", "{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=",
            "s3cret", "$2y$05$jyxgHN.me5e/eEW3d3j4TOieaC8.WBaNverh/1JToW9R7i7mBzsJW");
    hashes.forEach(
        (password, stored) -> {
          PasswordHash hash = PasswordHash.parse(stored).orElseThrow();
          assertTrue(hash.matches(password), stored);
          assertFalse(hash.matches(password + "x"), stored);
          assertFalse(hash.matches(""), stored);
        });
    assertTrue(PasswordHash.parse(hashes.get("s3cret")).orElseThrow().costly());
    assertFalse(PasswordHash.parse(hashes.get("builder")).orElseThrow().costly());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plaintext",
        "xyJ8Cgye8Bb2E", // crypt(3), htpasswd -d
        "$apr1$nosalt",
        "{SHA}short",
        "$2y$05$short",
        "$1$abc$def",
      })
  void otherFormatsAreNotRead(String stored) {
    assertTrue(PasswordHash.parse(stored).isEmpty(), stored);
  }

  @Test
  void neverShowsTheHash() {
    String stored = "{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=";
    assertFalse(PasswordHash.parse(stored).orElseThrow().toString().contains("9SMY"));
  }

  @Test
  void anHtpasswdFileSkipsWhatItCannotReadAndSaysWhy() {
    BasicCredentials.Read read =
        BasicCredentials.parseFile(
            "# users\nalice:$apr1$U7oixadu$o6TW480cWuwR3ayJ.PIfu.\r\n\nbob:xyJ8Cgye8Bb2E\n"
                + "garbage\nalice:{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=\n");
    assertEquals("BasicCredentials[alice]", read.credentials().toString());
    assertEquals(3, read.problems().size(), read.problems().toString());
    assertTrue(read.problems().get(0).startsWith("line 4 (user bob)"), read.problems().get(0));
    read.problems().forEach(problem -> assertFalse(problem.contains("xyJ8"), problem));
  }
}
