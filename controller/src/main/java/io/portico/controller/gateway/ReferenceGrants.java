package io.portico.controller.gateway;

import io.portico.controller.snapshot.ObjectKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ReferenceGrants in force, by the namespace they live in (that of the objects they open up). A
 * reference within one namespace needs no grant; one across namespaces needs a grant in the
 * target's namespace whose {@code from} names the referrer's group, kind and namespace and whose
 * {@code to} names the target's group and kind, and its name or none.
 */
final class ReferenceGrants {

  private final Map<String, List<ReferenceGrantView>> byNamespace = new HashMap<>();

  ReferenceGrants(List<ReferenceGrantView> grants) {
    for (ReferenceGrantView grant : grants) {
      byNamespace
          .computeIfAbsent(grant.facts().key().namespace(), ns -> new ArrayList<>())
          .add(grant);
    }
  }

  /**
   * Whether an object of {@code fromKind} (in the Gateway API group) in {@code fromNamespace} may
   * refer to {@code target}.
   */
  boolean permits(String fromKind, String fromNamespace, TargetRef target) {
    if (!target.crossesNamespace(fromNamespace)) {
      return true;
    }
    ObjectKey key = target.key(fromNamespace);
    for (ReferenceGrantView grant : byNamespace.getOrDefault(key.namespace(), List.of())) {
      if (grant.permits(
          GatewayApi.GROUP, fromKind, fromNamespace, target.group(), target.kind(), key.name())) {
        return true;
      }
    }
    return false;
  }
}
