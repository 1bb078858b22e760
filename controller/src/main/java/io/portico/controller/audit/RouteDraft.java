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
  // More names for the host (server-alias), written after it.
  final List<String> aliases = new ArrayList<>();

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

  /**
   * The route as objects: one, or one per 16 rules ({@code NAME}, {@code NAME-2}, ...), the most an
   * HTTPRoute may hold; rules of routes for the same host names are matched together, so the split
   * changes nothing.
   */
  List<GatewayExport.Exported> export(String apiVersion) {
    List<GatewayExport.Exported> out = new ArrayList<>();
    int parts = Math.max(1, (rules.size() + MAX_RULES - 1) / MAX_RULES);
    for (int part = 0; part < parts; part++) {
      int from = part * MAX_RULES;
      List<RuleDraft> slice = rules.subList(from, Math.min(rules.size(), from + MAX_RULES));
      ObjectKey partKey =
          part == 0
              ? key
              : new ObjectKey(
                  key.namespace(), GatewayConversion.dnsLabel(key.name() + "-" + (part + 1)));
      out.add(
          export(apiVersion, partKey, slice, from, part == 0 ? "" : " (part " + (part + 1) + ")"));
    }
    return out;
  }

  private GatewayExport.Exported export(
      String apiVersion, ObjectKey partKey, List<RuleDraft> slice, int first, String part) {
    List<Map<String, Object>> parents = new ArrayList<>();
    for (String section : sections) {
      Map<String, Object> parent = new LinkedHashMap<>();
      parent.put("name", gatewayName);
      if (!gatewayNamespace.equals(partKey.namespace())) {
        parent.put("namespace", gatewayNamespace);
      }
      parent.put("sectionName", section);
      parents.add(parent);
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("parentRefs", parents);
    if (!host.isEmpty()) {
      List<String> hostnames = new ArrayList<>();
      hostnames.add(host);
      hostnames.addAll(aliases);
      spec.put("hostnames", hostnames);
    }
    List<Map<String, Object>> bodies = new ArrayList<>();
    slice.forEach(rule -> bodies.add(rule.body()));
    spec.put("rules", bodies);
    Map<String, Object> body =
        GatewayConversion.object("HTTPRoute", partKey.namespace(), partKey.name(), spec);
    body.put("apiVersion", apiVersion);
    List<String> lines = new ArrayList<>();
    lines.add(
        "HTTPRoute "
            + partKey
            + ": from Ingress "
            + plan.key
            + ", host "
            + GatewayConversion.hostText(host)
            + (redirectsToHttps ? ", plain HTTP redirected to HTTPS" : "")
            + part);
    if (first == 0) {
      lines.addAll(notes);
      if (!redirectsToHttps) {
        plan.notes.forEach(note -> lines.add("  " + note));
      }
    }
    for (int i = 0; i < slice.size(); i++) {
      for (String note : slice.get(i).notes) {
        lines.add("  rule " + i + ": " + note);
      }
    }
    return new GatewayExport.Exported("HTTPRoute", partKey, body, lines);
  }
}
