package io.portico.controller.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTPRoute rule being written: the Ingress path it comes from, its match, filters and
 * backends, and the notes on what of the path it does not carry.
 */
final class RuleDraft {

  final String host;
  final String path;
  final String pathType;
  final Map<String, Object> match = new LinkedHashMap<>();
  final List<Map<String, Object>> filters = new ArrayList<>();
  final List<Map<String, Object>> backendRefs = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  Optional<Map<String, Object>> sessionPersistence = Optional.empty();

  RuleDraft(String host, String path, String pathType) {
    this.host = host;
    this.path = path;
    this.pathType = pathType;
  }

  /** The same rule with the same filters and no backends, for a canary's header match. */
  RuleDraft copyWithoutBackends() {
    RuleDraft copy = new RuleDraft(host, path, pathType);
    copy.match.putAll(match);
    copy.filters.addAll(filters);
    copy.sessionPersistence = sessionPersistence;
    return copy;
  }

  boolean redirects() {
    return filters.stream().anyMatch(f -> "RequestRedirect".equals(f.get("type")));
  }

  Map<String, Object> body() {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("matches", List.of(match));
    if (!filters.isEmpty()) {
      rule.put("filters", filters);
    }
    if (!backendRefs.isEmpty()) {
      rule.put("backendRefs", backendRefs);
    }
    sessionPersistence.ifPresent(s -> rule.put("sessionPersistence", s));
    return rule;
  }
}
