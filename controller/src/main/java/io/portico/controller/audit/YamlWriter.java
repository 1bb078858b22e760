package io.portico.controller.audit;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes maps, lists, strings, numbers and booleans as block YAML, keys in insertion order, so that
 * the objects a conversion prints read like hand-written manifests and go into {@code kubectl
 * apply} as they are. A string is written plain when YAML would read it back as the same string,
 * else double-quoted (JSON's escapes, which YAML shares).
 */
final class YamlWriter {

  // Plain scalars that read back as strings: no indicator first, no ": " or " #" inside.
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z/_.][A-Za-z0-9/_.~=+@-]*");
  private static final Pattern NOT_A_STRING =
      Pattern.compile(
          "(?i)(y|n|yes|no|on|off|true|false|null|~|[-+]?(\\.inf|\\.nan|[0-9][0-9_.:eE+-]*))");

  private YamlWriter() {}

  /** {@code value} as YAML lines, each ending in a newline. */
  static String write(Map<String, ?> value) {
    StringBuilder out = new StringBuilder();
    map(out, value, 0);
    return out.toString();
  }

  private static void map(StringBuilder out, Map<String, ?> map, int indent) {
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      out.append(" ".repeat(indent));
      out.append(scalar(entry.getKey())).append(':');
      value(out, entry.getValue(), indent);
    }
  }

  private static void value(StringBuilder out, Object value, int indent) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append(" {}\n");
        return;
      }
      out.append('\n');
      @SuppressWarnings("unchecked")
      Map<String, ?> entries = (Map<String, ?>) map;
      map(out, entries, indent + 2);
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append(" []\n");
        return;
      }
      out.append('\n');
      for (Object item : list) {
        out.append(" ".repeat(indent)).append("- ");
        if (item instanceof Map<?, ?> map && !map.isEmpty()) {
          @SuppressWarnings("unchecked")
          Map<String, ?> entries = (Map<String, ?>) map;
          itemMap(out, entries, indent + 2);
        } else {
          out.setLength(out.length() - 1);
          value(out, item, indent + 2);
        }
      }
    } else {
      out.append(' ').append(scalar(value)).append('\n');
    }
  }

  // The first key of a map in a list shares the line of its dash.
  private static void itemMap(StringBuilder out, Map<String, ?> map, int indent) {
    boolean first = true;
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      if (!first) {
        out.append(" ".repeat(indent));
      }
      first = false;
      out.append(scalar(entry.getKey())).append(':');
      value(out, entry.getValue(), indent);
    }
  }

  private static String scalar(Object value) {
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    String text = String.valueOf(value);
    if (PLAIN.matcher(text).matches() && !NOT_A_STRING.matcher(text).matches()) {
      return text;
    }
    // A JSON string is a YAML double-quoted scalar.
    String quoted = new JsonObject().put("s", text).encode();
    return quoted.substring(5, quoted.length() - 1);
  }
}
