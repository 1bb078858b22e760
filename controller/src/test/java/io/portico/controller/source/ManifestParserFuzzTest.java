package io.portico.controller.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes the manifest reader: a file in the manifests folder is read whole or refused with a {@link
 * ManifestException} whose message is {@code file:line: problem}, the line within the file, and
 * nothing else ever escapes (see docs/security.md, "Fuzzing"). Seeds are manifests in YAML and
 * JSON, among them the examples of {@code examples/local}.
 */
class ManifestParserFuzzTest {

  private static final Pattern MESSAGE =
      Pattern.compile("fuzz\\.yaml:(\\d+): \\S.*", Pattern.DOTALL);

  private final ManifestParser parser = new ManifestParser();

  @FuzzTest(maxDuration = "3m")
  void everyFileIsReadWholeOrRefusedWithItsLine(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    List<HasMetadata> objects;
    try {
      objects = parser.parse("fuzz.yaml", text);
    } catch (ManifestException e) {
      String message = e.getMessage();
      Matcher matcher = MESSAGE.matcher(message);
      assertTrue(matcher.matches(), () -> "message: " + message);
      long line = Long.parseLong(matcher.group(1));
      // A final newline ends the last line rather than starting another.
      int split = text.split("\n", -1).length;
      long lines = Math.max(1, text.endsWith("\n") ? split - 1 : split);
      assertTrue(
          line >= 1 && line <= lines, () -> "line " + line + " of " + lines + ": " + message);
      return;
    }
    for (HasMetadata object : objects) {
      assertNotNull(object);
      assertFalse(object.getKind() == null || object.getKind().isEmpty(), "kind");
      assertNotNull(object.getMetadata(), "metadata");
      assertFalse(
          object.getMetadata().getName() == null || object.getMetadata().getName().isEmpty(),
          "metadata.name");
    }
  }
}
