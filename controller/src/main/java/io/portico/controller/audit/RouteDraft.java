package io.portico.controller.audit;

import io.portico.controller.snapshot.ObjectKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One HTTPRoute being written: from one Ingress and one host, with its rules and notes. */
final class RouteDraft {

  // The most rules an HTTPRoute may have.
  private static final int MAX_RULES = 16;

  final ObjectKey key;
  final IngressPlan plan;
  final String host;
  final List<RuleDraft> rules = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  private final String gatewayNamespace;
  private final String gatewayName;
  private final List<String> sections;
  boolean redirectsToHttps;

  RouteDraft(
      ObjectKey key,
      IngressPlan plan,
      String host,
      String gatewayNamespace,
      String gatewayName,
      List<String> sections) {
    this.key = key;
    this.plan = plan;
    this.host = host;
    this.gatewayNamespace = gatewayNamespace;
    this.gatewayName = gatewayName;
    this.sections = List.copyOf(sections);
  }

  GatewayExport.Exported export(String apiVersion) {
    List<Map<String, Object>> parents = new ArrayList<>();
    for (String section : sections) {
      Map<String, Object> parent = new LinkedHashMap<>();
      parent.put("name", gatewayName);
      if (!gatewayNamespace.equals(key.namespace())) {
        parent.put("namespace", gatewayNamespace);
      }
      parent.put("sectionName", section);
      parents.add(parent);
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("parentRefs", parents);
    if (!host.isEmpty()) {
      spec.put("hostnames", List.of(host));
    }
    List<Map<String, Object>> bodies = new ArrayList<>();
    rules.forEach(rule -> bodies.add(rule.body()));
    spec.put("rules", bodies);
    Map<String, Object> body =
        GatewayConversion.object("HTTPRoute", key.namespace(), key.name(), spec);
    body.put("apiVersion", apiVersion);
    List<String> lines = new ArrayList<>();
    lines.add(
        "HTTPRoute "
            + key
            + ": from Ingress "
            + plan.key
            + ", host "
            + GatewayConversion.hostText(host)
            + (redirectsToHttps ? ", plain HTTP redirected to HTTPS" : ""));
    lines.addAll(notes);
    if (!redirectsToHttps) {
      plan.notes.forEach(note -> lines.add("  " + note));
    }
    for (int i = 0; i < rules.size(); i++) {
      for (String note : rules.get(i).notes) {
        lines.add("  rule " + i + ": " + note);
      }
    }
    if (rules.size() > MAX_RULES) {
      lines.add(
          "  "
              + rules.size()
              + " rules, more than the "
              + MAX_RULES
              + " an HTTPRoute may have: split it into two routes for the same host");
    }
    return new GatewayExport.Exported("HTTPRoute", key, body, lines);
  }
}
