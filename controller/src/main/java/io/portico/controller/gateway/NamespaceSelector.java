package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A label selector over Namespaces ({@code allowedRoutes.namespaces.selector}): every {@code
 * matchLabels} entry and every {@code matchExpressions} requirement must hold. An empty selector
 * selects every Namespace, as in Kubernetes.
 */
public record NamespaceSelector(Map<String, String> matchLabels, List<Requirement> expressions) {

  /**
   * One {@code matchExpressions} entry.
   *
   * @param key the label
   * @param operator {@code In}, {@code NotIn}, {@code Exists} or {@code DoesNotExist}
   * @param values the values for {@code In} and {@code NotIn}
   */
  public record Requirement(String key, String operator, List<String> values) {

    public Requirement {
      requireNonNull(key, "key");
      requireNonNull(operator, "operator");
      values = List.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
    }
  }

  public NamespaceSelector {
    matchLabels = Map.copyOf(matchLabels);
    expressions = List.copyOf(expressions);
  }

  /** Whether a Namespace with these labels is selected. */
  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
      if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
        return false;
      }
    }
    for (Requirement requirement : expressions) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }
}
