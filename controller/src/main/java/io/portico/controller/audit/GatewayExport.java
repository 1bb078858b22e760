package io.portico.controller.audit;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ObjectKey;
import java.util.List;
import java.util.Map;

/**
 * The Gateway API objects a {@link GatewayConversion} made of a team's Ingresses, each with the
 * notes that say what of its Ingresses it carries, approximately or not at all.
 *
 * @param header notes for the whole output: what was converted, and the Ingresses left as they are
 * @param objects Gateways, then ReferenceGrants, then HTTPRoutes
 * @param ingresses how many Ingresses were read
 * @param kept the Ingresses left as they are, with why
 */
public record GatewayExport(
    List<String> header, List<Exported> objects, int ingresses, Map<ObjectKey, String> kept) {

  /**
   * One object.
   *
   * @param kind its kind
   * @param key its namespace and name
   * @param body the object, as {@code kubectl apply} takes it
   * @param notes comment lines written above it
   */
  public record Exported(String kind, ObjectKey key, Map<String, Object> body, List<String> notes) {
    public Exported {
      requireNonNull(kind, "kind");
      requireNonNull(key, "key");
      requireNonNull(body, "body");
      notes = List.copyOf(notes);
    }
  }

  public GatewayExport {
    header = List.copyOf(header);
    objects = List.copyOf(objects);
    kept = Map.copyOf(kept);
  }

  /** The objects as one YAML stream, notes as comments: pipe it into {@code kubectl apply -f -}. */
  public String yaml() {
    StringBuilder out = new StringBuilder();
    header.forEach(line -> out.append(comment(line)));
    for (Exported object : objects) {
      out.append("---\n");
      object.notes().forEach(line -> out.append(comment(line)));
      out.append(YamlWriter.write(object.body()));
    }
    return out.toString();
  }

  /** One line for stderr: what was made, and what was left. */
  public String summary() {
    long routes = objects.stream().filter(o -> o.kind().equals("HTTPRoute")).count();
    long gateways = objects.stream().filter(o -> o.kind().equals("Gateway")).count();
    return ingresses
        + (ingresses == 1 ? " Ingress: " : " Ingresses: ")
        + (ingresses - kept.size())
        + " converted into "
        + gateways
        + (gateways == 1 ? " Gateway and " : " Gateways and ")
        + routes
        + (routes == 1 ? " HTTPRoute" : " HTTPRoutes")
        + ", "
        + kept.size()
        + " left as Ingresses; the comments above each object say what has no equivalent";
  }

  private static String comment(String line) {
    return line.isEmpty() ? "#\n" : "# " + line + "\n";
  }
}
