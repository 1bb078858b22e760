package io.portico.controller.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads Kubernetes objects from YAML (several documents separated by {@code ---}) or JSON text, the
 * way {@code kubectl apply -f} would. {@code List} objects are unpacked. A file is read whole or
 * not at all, so a typo never yields half a file.
 */
public final class ManifestParser {

  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("^---(\\s.*)?$");

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
    StringBuilder document = new StringBuilder();
    int documentStart = 1;
    for (int i = 0; i <= lines.length; i++) {
      boolean end = i == lines.length;
      if (end || DOCUMENT_SEPARATOR.matcher(lines[i]).matches()) {
        parseDocument(source, document.toString(), documentStart, objects);
        document.setLength(0);
        documentStart = i + 2;
        continue;
      }
      document.append(lines[i]).append('\n');
    }
    return objects;
  }

  private void parseDocument(String source, String document, int firstLine, List<HasMetadata> out)
      throws ManifestException {
    if (isBlank(document)) {
      return;
    }
    Object parsed;
    try {
      parsed = serialization.unmarshal(document);
    } catch (RuntimeException e) {
      throw failure(source, firstLine, e);
    }
    if (parsed instanceof KubernetesList list) {
      for (HasMetadata item : list.getItems()) {
        check(source, firstLine, item);
        out.add(item);
      }
    } else if (parsed instanceof HasMetadata object) {
      check(source, firstLine, object);
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

  private static ManifestException failure(String source, int firstLine, RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof JsonProcessingException json) {
        JsonLocation location = json.getLocation();
        int line =
            location == null || location.getLineNr() < 1
                ? firstLine
                : firstLine + location.getLineNr() - 1;
        return new ManifestException(
            source + ":" + line + ": " + firstLine(json.getOriginalMessage()), e);
      }
    }
    return new ManifestException(
        source + ":" + firstLine + ": " + firstLine(String.valueOf(e.getMessage())), e);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
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
