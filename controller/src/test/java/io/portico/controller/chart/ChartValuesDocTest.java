package io.portico.controller.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's values are documented where users look: every key the schema defines has a default in
 * values.yaml with a comment on the line above, and every leaf key is in the README. Keys inside
 * Kubernetes objects passed through as they are (a securityContext, resources' quantities) are
 * Kubernetes' own and not the chart's to document.
 */
class ChartValuesDocTest {
  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):(\\s|$)");

  @Test
  void everySchemaKeyHasACommentedDefault() throws IOException {
    List<String> schemaKeys = schemaKeys();
    Map<String, Boolean> commented = valuesKeys();

    List<String> missing = schemaKeys.stream().filter(k -> !commented.containsKey(k)).toList();
    assertEquals(List.of(), missing, "schema keys without a default in values.yaml");
    List<String> uncommented = schemaKeys.stream().filter(k -> !commented.get(k)).toList();
    assertEquals(List.of(), uncommented, "values.yaml keys without a comment above them");
  }

  @Test
  void readmeNamesEveryLeafKey() throws IOException {
    String readme = Files.readString(HelmChart.file("README.md"));
    List<String> undocumented =
        schemaKeys(true).stream().filter(key -> !documented(readme, key)).toList();
    assertEquals(List.of(), undocumented, "keys missing from charts/portico/README.md");
  }

  /** `key` in backquotes, or `parent.*` for a group of keys documented together. */
  private static boolean documented(String readme, String key) {
    if (readme.contains("`" + key + "`")) {
      return true;
    }
    for (int dot = key.lastIndexOf('.'); dot > 0; dot = key.lastIndexOf('.', dot - 1)) {
      if (readme.contains("`" + key.substring(0, dot) + ".*`")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> schemaKeys() throws IOException {
    return schemaKeys(false);
  }

  /**
   * Dotted paths of every key under "properties", following $ref into definitions; with leavesOnly,
   * only keys that have no properties of their own.
   */
  private static List<String> schemaKeys(boolean leavesOnly) throws IOException {
    JsonNode schema =
        new ObjectMapper().readTree(Files.readString(HelmChart.file("values.schema.json")));
    TreeSet<String> keys = new TreeSet<>();
    collect(schema, schema, "", leavesOnly, keys);
    return new ArrayList<>(keys);
  }

  private static void collect(
      JsonNode root, JsonNode node, String prefix, boolean leavesOnly, TreeSet<String> keys) {
    JsonNode properties = resolve(root, node).get("properties");
    if (properties == null) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      String path = prefix + property.getKey();
      boolean leaf = !resolve(root, property.getValue()).has("properties");
      if (leaf || !leavesOnly) {
        keys.add(path);
      }
      collect(root, property.getValue(), path + ".", leavesOnly, keys);
    }
  }

  private static JsonNode resolve(JsonNode root, JsonNode node) {
    return node.has("$ref") ? root.at(node.get("$ref").asText().substring(1)) : node;
  }

  /** Every mapping key in values.yaml by dotted path, and whether a comment line precedes it. */
  private static Map<String, Boolean> valuesKeys() throws IOException {
    Map<String, Boolean> keys = new LinkedHashMap<>();
    Deque<Map.Entry<Integer, String>> parents = new ArrayDeque<>();
    boolean afterComment = false;
    for (String line : Files.readAllLines(HelmChart.file("values.yaml"))) {
      String stripped = line.strip();
      if (stripped.startsWith("#")) {
        afterComment = true;
        continue;
      }
      Matcher key = KEY.matcher(line);
      if (key.find()) {
        int indent = key.group(1).length();
        while (!parents.isEmpty() && parents.peek().getKey() >= indent) {
          parents.pop();
        }
        StringBuilder path = new StringBuilder();
        parents.descendingIterator().forEachRemaining(p -> path.append(p.getValue()).append('.'));
        path.append(key.group(2));
        keys.put(path.toString(), afterComment);
        parents.push(Map.entry(indent, key.group(2)));
      }
      // A blank line or a value line ends the comment's reach.
      afterComment = false;
    }
    return keys;
  }
}
