package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.portico.controller.config.ConfigKey;
import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.ConfigKeys.RiskLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The catalogue tables in the docs are generated from {@link AnnotationCatalogue}: this test
 * renders them and fails when a page differs, writing the up-to-date page to {@code
 * controller/target/} to copy over. So the docs cannot drift from the code.
 */
class AnnotationsDocTest {

  private static final Path DOC = Path.of("..", "docs", "annotations.md");
  private static final Path README = Path.of("..", "README.md");

  @Test
  void docsAnnotationsHasTheWholeCatalogue() throws IOException {
    checkSection(DOC, "catalogue", catalogueTable());
  }

  @Test
  void docsAnnotationsHasEveryRisk() throws IOException {
    checkSection(DOC, "risk", riskTable());
  }

  @Test
  void readmeHasTheCatalogueSummary() throws IOException {
    checkSection(README, "catalogue-summary", summaryTable());
  }

  @Test
  void everyHonouredAnnotationIsDescribedOnThePage() throws IOException {
    String doc = Files.readString(DOC);
    String honoured =
        doc.substring(doc.indexOf("## Honoured annotations"), doc.indexOf("## Every ingress"));
    List<String> missing = new ArrayList<>();
    for (AnnotationCatalogue.Entry entry : AnnotationCatalogue.entries()) {
      if (entry.fate() == Fate.HONOURED
          && !honoured.contains("`" + AnnotationValues.PORTICO_PREFIX + entry.name() + "`")) {
        missing.add(entry.name());
      }
    }
    assertEquals(List.of(), missing, "honoured annotations without a row under Honoured");
  }

  /**
   * An honoured annotation whose default is a controller ConfigMap key says so on both pages: its
   * row here names the ConfigMap, and the key's row in {@code docs/configmap.md} names the
   * annotation it is the default of.
   */
  @Test
  void everyConfigMapDefaultIsDescribedOnBothPages() throws IOException {
    String doc = Files.readString(DOC);
    String honoured =
        doc.substring(doc.indexOf("## Honoured annotations"), doc.indexOf("## Every ingress"));
    List<String> configMapRows =
        Files.readAllLines(DOC.resolveSibling("configmap.md")).stream()
            .filter(line -> line.startsWith("| `"))
            .toList();
    List<String> missing = new ArrayList<>();
    for (AnnotationCatalogue.Entry entry : AnnotationCatalogue.entries()) {
      Optional<ConfigKey<?>> key = ConfigKeys.byName(entry.name());
      if (entry.fate() != Fate.HONOURED
          || key.isEmpty()
          || key.get().support() != ConfigKey.Support.HONOURED) {
        continue;
      }
      String row =
          honoured
              .lines()
              .filter(
                  l -> l.startsWith("| `" + AnnotationValues.PORTICO_PREFIX + entry.name() + "`"))
              .findFirst()
              .orElse("");
      if (!row.contains("[ConfigMap](configmap.md)'s `" + entry.name() + "`")) {
        missing.add("annotations.md: " + entry.name());
      }
      boolean described =
          configMapRows.stream()
              .anyMatch(
                  line ->
                      line.startsWith("| `" + entry.name() + "` |")
                          && line.contains("default of the `" + entry.name() + "` annotation"));
      if (!described) {
        missing.add("configmap.md: " + entry.name());
      }
    }
    assertEquals(List.of(), missing, "ConfigMap defaults of honoured annotations not described");
  }

  /** One row per annotation, sorted by name. */
  static String catalogueTable() {
    StringBuilder out =
        new StringBuilder(
            "| annotation | category | fate | family, or why |\n| --- | --- | --- | --- |\n");
    for (AnnotationCatalogue.Entry entry : AnnotationCatalogue.entries()) {
      out.append("| `")
          .append(entry.name())
          .append("` | ")
          .append(entry.category().label())
          .append(" | ")
          .append(entry.fate().label())
          .append(" | ")
          .append(
              entry.fate() == Fate.HONOURED
                  ? "`" + entry.note() + "` family"
                  : entry.note() + inert(entry))
          .append(" |\n");
    }
    return out.toString();
  }

  /** The annotations of each risk, riskiest first; Low ones, the most, by count only. */
  static String riskTable() {
    StringBuilder out =
        new StringBuilder(
            "| risk | refused when `annotations-risk-level` is | annotations |\n| --- | --- | --- |\n");
    RiskLevel[] levels = RiskLevel.values();
    for (int i = levels.length - 1; i >= 0; i--) {
      RiskLevel risk = levels[i];
      List<String> names =
          AnnotationRisk.all().entrySet().stream()
              .filter(e -> e.getValue() == risk)
              .map(e -> "`" + e.getKey() + "`")
              .toList();
      List<String> below =
          java.util.Arrays.stream(levels)
              .filter(l -> l.compareTo(risk) < 0)
              .map(l -> "`" + l.spelling() + "`")
              .toList();
      out.append("| ")
          .append(risk.spelling())
          .append(" | ")
          .append(below.isEmpty() ? "never" : String.join(", ", below))
          .append(" | ")
          .append(risk == RiskLevel.LOW ? "the other " + names.size() : String.join(", ", names))
          .append(" |\n");
    }
    return out.toString();
  }

  private static String inert(AnnotationCatalogue.Entry entry) {
    if (entry.inert().isEmpty()) {
      return "";
    }
    List<String> values =
        entry.inert().stream()
            .filter(v -> v.equals(v.toLowerCase(java.util.Locale.ROOT)))
            .sorted()
            .toList();
    return " (ignored when "
        + String.join(", ", values.stream().map(v -> "`" + v + "`").toList())
        + ")";
  }

  /** How many annotations of each category have each fate. */
  static String summaryTable() {
    Map<Category, int[]> counts = new EnumMap<>(Category.class);
    int[] total = new int[Fate.values().length];
    for (AnnotationCatalogue.Entry entry : AnnotationCatalogue.entries()) {
      counts
          .computeIfAbsent(entry.category(), c -> new int[Fate.values().length])[
          entry.fate().ordinal()]++;
      total[entry.fate().ordinal()]++;
    }
    StringBuilder out =
        new StringBuilder(
            "| category | honoured | ignored | refused |\n| --- | --- | --- | --- |\n");
    counts.forEach((category, row) -> out.append(row(category.label(), row)));
    out.append(row("**all " + AnnotationCatalogue.entries().size() + "**", total));
    return out.toString();
  }

  private static String row(String label, int[] counts) {
    return "| "
        + label
        + " | "
        + counts[Fate.HONOURED.ordinal()]
        + " | "
        + counts[Fate.IGNORED.ordinal()]
        + " | "
        + counts[Fate.REFUSED.ordinal()]
        + " |\n";
  }

  /**
   * The text between {@code <!-- NAME:start -->} and {@code <!-- NAME:end -->} must be {@code
   * want}.
   */
  private static void checkSection(Path file, String name, String want) throws IOException {
    String text = Files.readString(file);
    String start = "<!-- " + name + ":start -->\n";
    String end = "<!-- " + name + ":end -->";
    int from = text.indexOf(start);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      fail(file + " has no " + start.strip() + " ... " + end + " section");
    }
    String have = text.substring(from + start.length(), to);
    if (!have.equals(want)) {
      String updated = text.substring(0, from + start.length()) + want + text.substring(to);
      Path target = Path.of("target", file.getFileName().toString());
      Files.writeString(target, updated);
      fail(
          file
              + ": the "
              + name
              + " table differs from AnnotationCatalogue; the up-to-date page is in "
              + target.toAbsolutePath()
              + " (cp it over "
              + file.normalize()
              + ")");
    }
  }
}
