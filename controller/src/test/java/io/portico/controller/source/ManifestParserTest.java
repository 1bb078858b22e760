package io.portico.controller.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

  private final ManifestParser parser = new ManifestParser();

  @Test
  void readsEveryDocumentAndUnpacksLists() throws Exception {
    String text =
        """
        # leading comment
        apiVersion: v1
        kind: Service
        metadata: {name: a}
        ---
        ---   # an empty document
        apiVersion: v1
        kind: List
        items:
        - {apiVersion: v1, kind: Service, metadata: {name: b}}
        - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}
        """;
    List<HasMetadata> objects = parser.parse("x.yaml", text);
    assertEquals(
        List.of("a", "b", "c"), objects.stream().map(o -> o.getMetadata().getName()).toList());
  }

  @Test
  void readsJson() throws Exception {
    List<HasMetadata> objects =
        parser.parse(
            "x.json", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"j\"}}");
    assertEquals("j", objects.get(0).getMetadata().getName());
  }

  @Test
  void aSyntaxErrorNamesTheFileAndTheLineInTheWholeFile() {
    String text =
        """
        apiVersion: v1
        kind: Service
        metadata: {name: fine}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: broken
        spec: {}
        """;
    ManifestException e =
        assertThrows(ManifestException.class, () -> parser.parse("dir/bad.yaml", text));
    assertEquals(
        "dir/bad.yaml:8: while parsing a flow mapping: expected ',' or '}', but got :",
        e.getMessage());
  }

  @Test
  void objectsWithoutKindOrNameAreRefused() {
    ManifestException noName =
        assertThrows(
            ManifestException.class,
            () -> parser.parse("f.yaml", "apiVersion: v1\nkind: Service\nmetadata: {}\n"));
    assertEquals("f.yaml:1: Service has no metadata.name", noName.getMessage());
    ManifestException notAnObject =
        assertThrows(ManifestException.class, () -> parser.parse("f.yaml", "just text\n"));
    assertTrue(notAnObject.getMessage().startsWith("f.yaml:1: "), notAnObject.getMessage());
  }

  // Found by ManifestParserFuzzTest: these escaped parse() as NullPointerException and
  // ClassCastException, which made ManifestSource fail to start, or abort every later scan.
  @Test
  void listItemsThatAreNotObjectsAreRefusedWithTheirNumber() {
    ManifestException nullItem =
        assertThrows(
            ManifestException.class,
            () ->
                parser.parse(
                    "f.json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":"
                        + "[{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"a\"}},"
                        + "null]}"));
    assertEquals(
        "f.json:1: List item 2 is not a Kubernetes object (expected: apiVersion, kind, metadata)",
        nullItem.getMessage());
    String nested =
        """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: List
          items: []
        """;
    ManifestException nestedList =
        assertThrows(ManifestException.class, () -> parser.parse("f.yaml", nested));
    assertEquals(
        "f.yaml:1: List item 1 is not a Kubernetes object (expected: apiVersion, kind, metadata)",
        nestedList.getMessage());
  }

  @Test
  void aListWhoseItemsAreNullHoldsNothing() throws Exception {
    assertEquals(
        List.of(),
        parser.parse("f.json", "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":null}"));
  }

  @Test
  void anErrorAtTheEndOfTheFileNamesItsLastLine() {
    String text =
        """
        apiVersion: v1
        kind: Service
        metadata: {name: fine}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: broken
        """;
    ManifestException e = assertThrows(ManifestException.class, () -> parser.parse("f.yaml", text));
    assertEquals(
        "f.yaml:7: while parsing a flow mapping: expected ',' or '}', but got <stream end>",
        e.getMessage());
  }

  // Found by ManifestParserFuzzTest: SnakeYAML builds a list that contains itself, and converting
  // it to objects overflowed the stack; the StackOverflowError escaped everything that catches
  // exceptions and ended the thread that watches the manifest folder.
  @Test
  void anAliasThatContainsItselfIsRefused() {
    String text =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: loop}
        data:
          a: &a [x, *a]
        """;
    ManifestException e = assertThrows(ManifestException.class, () -> parser.parse("f.yaml", text));
    assertEquals(
        "f.yaml:5: the document nests without end (expected: no alias inside its own anchor)",
        e.getMessage());
  }
}
