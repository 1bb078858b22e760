package io.portico.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configmap.md} lists exactly the keys of {@link ConfigKeys}, each with its default,
 * when a change applies and, for a key without effect yet, that it is only declared (or only
 * reported, for a key whose ingress-nginx meaning something else decides here): the page cannot
 * drift from the code.
 */
class ConfigMapDocTest {

  private static final String DECLARED = "declared, no effect yet";
  private static final String REPORTED = "reported, ";

  /** The rows of the "Every key" table: key name to its cells. */
  private static Map<String, List<String>> rows() throws IOException {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(docs().resolve("configmap.md"))) {
      if (line.startsWith("## ")) {
        inTable = line.equals("## Every key");
        continue;
      }
      if (!inTable || !line.startsWith("| `")) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (String cell : line.substring(1, line.length() - 1).split(" \\| ", -1)) {
        cells.add(cell.strip());
      }
      rows.put(cells.get(0).replace("`", ""), cells);
    }
    return rows;
  }

  @Test
  void everyKeyHasARowWithItsDefaultWhenItAppliesAndWhetherItHasAnEffect() throws IOException {
    Map<String, List<String>> rows = rows();
    assertEquals(
        ConfigKeys.all().stream().map(ConfigKey::name).toList(),
        List.copyOf(rows.keySet()),
        "the keys of docs/configmap.md, in order");
    for (ConfigKey<?> key : ConfigKeys.all()) {
      List<String> cells = rows.get(key.name());
      String defaultText = key.defaultText().isEmpty() ? "\"\"" : key.defaultText();
      assertEquals("`" + defaultText + "`", cells.get(1), key.name() + ": default");
      assertEquals(
          key.applies() == ConfigKey.Applies.LIVE ? "live" : "at start",
          cells.get(2),
          key.name() + ": applies");
      assertEquals(
          key.support() == ConfigKey.Support.DECLARED,
          cells.get(3).startsWith(DECLARED),
          key.name() + ": " + cells.get(3));
      assertEquals(
          key.support() == ConfigKey.Support.REPORTED,
          cells.get(3).startsWith(REPORTED),
          key.name() + ": " + cells.get(3));
    }
  }

  @Test
  void theReadmeLinksThePage() throws IOException {
    String readme = Files.readString(docs().resolveSibling("README.md"));
    assertTrue(readme.contains("[docs/configmap.md](docs/configmap.md)"), "README link");
  }

  private static Path docs() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docs").resolve("configmap.md"))) {
        return dir.resolve("docs");
      }
    }
    throw new IllegalStateException("docs/configmap.md not found above the working directory");
  }
}
