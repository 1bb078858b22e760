package io.portico.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The change pipeline's packages import along the data flow only: sources and translation both read
 * the snapshot, and neither knows the other; the snapshot knows nothing of the pipeline, and the
 * annotations (read by translation) nothing of the controller.
 */
class PackageLayeringTest {

  private static final Path MAIN = Path.of("src", "main", "java", "io", "portico", "controller");
  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?io\\.portico\\.controller\\.([a-z]+)\\.", Pattern.MULTILINE);

  @ParameterizedTest(name = "{0} imports only {1}")
  @CsvSource({
    "config, ''",
    "annotations, config",
    "snapshot, ''",
    "gateway, snapshot",
    "source, snapshot",
    "translate, annotations config gateway snapshot",
    "sync, config snapshot source translate",
  })
  void importsOnlyWhatItReads(String pkg, String allowed) throws IOException {
    Path dir = MAIN.resolve(pkg);
    assertTrue(Files.isDirectory(dir), dir.toAbsolutePath() + " is not a directory");
    Set<String> imported = new TreeSet<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher imports = IMPORT.matcher(read(file));
        while (imports.find()) {
          imported.add(imports.group(1));
        }
      }
    }
    imported.remove(pkg);
    Set<String> expected =
        new TreeSet<>(List.of(allowed.isBlank() ? new String[0] : allowed.split(" ")));
    imported.removeIf(expected::contains);
    assertEquals(Set.of(), imported, "package " + pkg + " imports packages it must not know");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
