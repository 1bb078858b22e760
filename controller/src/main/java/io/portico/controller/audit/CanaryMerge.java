package io.portico.controller.audit;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A canary Ingress joined to the rules of its main Ingress, as ingress-nginx joins it: for each of
 * its paths, the route rule of the same host, path and path type in its namespace gets the canary's
 * backend with the canary's weight beside the main one, and a rule with the canary's header match
 * sending to the canary alone.
 */
final class CanaryMerge {

  /** How a builder makes a backendRef of an Ingress backend. */
  interface Backends {
    Optional<Map<String, Object>> backendRef(
        String namespace, IngressBackend backend, List<String> notes);
  }

  private final IngressPlan canary;
  private final Collection<RouteDraft> routes;
  private final Backends backends;

  CanaryMerge(IngressPlan canary, Collection<RouteDraft> routes, Backends backends) {
    this.canary = canary;
    this.routes = routes;
    this.backends = backends;
  }

  /** Joins the canary; returns the paths that found no main rule. */
  List<String> merge() {
    List<String> alone = new ArrayList<>();
    List<IngressRule> rules = canary.ingress.getSpec().getRules();
    if (rules == null) {
      return alone;
    }
    int total = number(canary.annotations.get("canary-weight-total"), 100);
    int weight = Math.min(total, number(canary.annotations.get("canary-weight"), 0));
    for (IngressRule rule : rules) {
      String host = rule.getHost() == null ? "" : rule.getHost();
      if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
        continue;
      }
      for (HTTPIngressPath path : rule.getHttp().getPaths()) {
        String value = path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath();
        String type = path.getPathType() == null ? "ImplementationSpecific" : path.getPathType();
        Optional<Main> main = main(host, value, type);
        if (main.isEmpty()) {
          alone.add(GatewayConversion.hostText(host) + " " + value);
          continue;
        }
        join(main.get(), path.getBackend(), weight, total);
      }
    }
    return alone;
  }

  private record Main(RouteDraft route, RuleDraft rule) {}

  private Optional<Main> main(String host, String path, String type) {
    for (RouteDraft route : routes) {
      if (route.redirectsToHttps
          || route.plan.canary
          || !route.host.equals(host)
          || !route.key.namespace().equals(canary.key.namespace())) {
        continue;
      }
      for (RuleDraft rule : route.rules) {
        if (rule.path.equals(path) && rule.pathType.equals(type) && !rule.redirects()) {
          return Optional.of(new Main(route, rule));
        }
      }
    }
    return Optional.empty();
  }

  private void join(Main main, IngressBackend backend, int weight, int total) {
    List<String> notes = new ArrayList<>();
    Optional<Map<String, Object>> ref = backends.backendRef(canary.key.namespace(), backend, notes);
    if (ref.isEmpty() || main.rule().backendRefs.isEmpty()) {
      return;
    }
    List<Map<String, Object>> mainRefs = new ArrayList<>();
    main.rule().backendRefs.forEach(r -> mainRefs.add(new LinkedHashMap<>(r)));
    String by = "canary Ingress " + canary.key + " (" + main.rule().path + ")";
    if (weight > 0) {
      Map<String, Object> first = main.rule().backendRefs.get(0);
      int mainWeight = ((Number) first.getOrDefault("weight", total)).intValue();
      first.put("weight", Math.max(0, mainWeight - weight));
      Map<String, Object> weighted = new LinkedHashMap<>(ref.get());
      weighted.put("weight", weight);
      main.rule().backendRefs.add(weighted);
      main.route().notes.add(by + ": weight " + weight + " of " + total + " as backendRef weights");
    }
    Optional<String> header = canary.annotations.get("canary-by-header");
    if (header.isPresent()) {
      Optional<String> value = canary.annotations.get("canary-by-header-value");
      Optional<String> pattern = canary.annotations.get("canary-by-header-pattern");
      Map<String, Object> match = new LinkedHashMap<>();
      match.put("type", value.isPresent() || pattern.isEmpty() ? "Exact" : "RegularExpression");
      match.put("name", header.get());
      match.put("value", value.or(() -> pattern.map(p -> ".*(?:" + p + ").*")).orElse("always"));
      RuleDraft toCanary = main.rule().copyWithoutBackends();
      toCanary.match.put("headers", List.of(match));
      toCanary.backendRefs.add(ref.get());
      main.route().rules.add(main.route().rules.indexOf(main.rule()), toCanary);
      String line = by + ": header " + header.get() + " " + match.get("value") + " to the canary";
      if (value.isEmpty() && pattern.isEmpty() && weight > 0) {
        RuleDraft never = main.rule().copyWithoutBackends();
        Map<String, Object> neverMatch = new LinkedHashMap<>(match);
        neverMatch.put("value", "never");
        never.match.put("headers", List.of(neverMatch));
        mainRefs.forEach(r -> r.remove("weight"));
        never.backendRefs.addAll(mainRefs);
        main.route().rules.add(main.route().rules.indexOf(main.rule()), never);
        line += ", never to the main backend";
      }
      main.route().notes.add(line);
    }
    canary.notes.forEach(note -> main.route().notes.add("  " + by + ": " + note.strip()));
    notes.forEach(note -> main.route().notes.add("  " + by + ": " + note));
  }

  private static int number(Optional<String> text, int fallback) {
    try {
      return text.map(t -> Integer.parseInt(t.strip())).orElse(fallback);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
