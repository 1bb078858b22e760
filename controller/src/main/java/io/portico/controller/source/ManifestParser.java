package io.portico.controller.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Kubernetes objects from YAML (several documents separated by {@code ---}) or JSON text, the
 * way {@code kubectl apply -f} would. {@code List} objects are unpacked. A file is read whole or
 * not at all, so a typo never yields half a file.
 */
public final class ManifestParser {

  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("^---(\\s.*)?$");
  private static final Pattern MARK = Pattern.compile("line (\\d+), column \\d+");

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  /**
   * Parses every document of a file.
   *
   * @param source the file name used in messages
   * @throws ManifestException naming the source, the line and the parser's message
   */
  public List<HasMetadata> parse(String source, String text) throws ManifestException {
    List<HasMetadata> objects = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    // A final newline ends the last line rather than starting another.
    int lastLine = Math.max(1, text.endsWith("\n") ? lines.length - 1 : lines.length);
    StringBuilder document = new StringBuilder();
    int documentStart = 1;
    for (int i = 0; i <= lines.length; i++) {
      boolean end = i == lines.length;
      if (end || DOCUMENT_SEPARATOR.matcher(lines[i]).matches()) {
        parseDocument(source, document.toString(), documentStart, lastLine, objects);
        document.setLength(0);
        documentStart = i + 2;
        continue;
      }
      document.append(lines[i]).append('\n');
    }
    return objects;
  }

  private void parseDocument(
      String source, String document, int firstLine, int lastLine, List<HasMetadata> out)
      throws ManifestException {
    if (isBlank(document)) {
      return;
    }
    Object parsed;
    try {
      parsed = serialization.unmarshal(document);
    } catch (RuntimeException e) {
      throw failure(source, firstLine, lastLine, e);
    } catch (StackOverflowError e) {
      // YAML lets an alias sit inside its own anchor (a: &a [*a]): the value contains itself, and
      // turning it into objects never ends. Left alone, the error would end the watching thread.
      throw new ManifestException(
          source
              + ":"
              + firstLine
              + ": the document nests without end (expected: no alias inside its own anchor)",
          e);
    }
    if (parsed instanceof KubernetesList list) {
      // Read as plain objects: the items may hold nulls and nested Lists, which are not
      // HasMetadata.
      List<?> items = list.getItems() == null ? List.of() : list.getItems();
      for (int i = 0; i < items.size(); i++) {
        if (!(items.get(i) instanceof HasMetadata item)) {
          throw new ManifestException(
              source
                  + ":"
                  + firstLine
                  + ": List item "
                  + (i + 1)
                  + " is not a Kubernetes object (expected: apiVersion, kind, metadata)");
        }
        check(source, firstLine, item);
        SharedEmptyExtras.apply(item);
        out.add(item);
      }
    } else if (parsed instanceof HasMetadata object) {
      check(source, firstLine, object);
      SharedEmptyExtras.apply(object);
      out.add(object);
    } else {
      throw new ManifestException(
          source
              + ":"
              + firstLine
              + ": not a Kubernetes object (expected: apiVersion, kind, metadata)");
    }
  }

  private static void check(String source, int line, HasMetadata object) throws ManifestException {
    if (object.getKind() == null || object.getKind().isEmpty()) {
      throw new ManifestException(source + ":" + line + ": the object has no kind");
    }
    if (object.getMetadata() == null
        || object.getMetadata().getName() == null
        || object.getMetadata().getName().isEmpty()) {
      throw new ManifestException(
          source + ":" + line + ": " + object.getKind() + " has no metadata.name");
    }
  }

  private static ManifestException failure(
      String source, int firstLine, int lastLine, RuntimeException e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String original =
        cause instanceof JsonProcessingException json
            ? String.valueOf(json.getOriginalMessage())
            : String.valueOf(cause.getMessage());
    int line = problemLine(original);
    if (line < 1 && cause instanceof JsonProcessingException json && json.getLocation() != null) {
      line = json.getLocation().getLineNr();
    }
    // The end of the text is reported on the line after it: name the last line instead.
    int fileLine = Math.min(lastLine, firstLine + Math.max(1, line) - 1);
    return new ManifestException(source + ":" + fileLine + ": " + describe(original), e);
  }

  /**
   * The line of the problem in a YAML parser message: the last "line N" mark, which points at the
   * problem rather than at the context it started in; 0 when there is none.
   */
  private static int problemLine(String message) {
    Matcher marks = MARK.matcher(message);
    int line = 0;
    while (marks.find()) {
      line = Integer.parseInt(marks.group(1));
    }
    return line;
  }

  /** The parser's sentences without its source excerpts: the lines that are not indented. */
  private static String describe(String message) {
    StringBuilder out = new StringBuilder();
    for (String line : message.split("\n")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        out.append(out.length() == 0 ? "" : ": ").append(line.strip());
      }
    }
    return out.toString();
  }

  private static boolean isBlank(String document) {
    for (String line : document.split("\n")) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        return false;
      }
    }
    return true;
  }
}
