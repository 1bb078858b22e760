package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A ReferenceGrant (v1 or v1beta1) as read: it lets objects of the {@code from} kinds in the named
 * namespaces refer to objects of the {@code to} kinds in the grant's own namespace.
 *
 * @param facts its key
 * @param from the referrers allowed (group, kind, namespace)
 * @param to the targets allowed (group, kind, optional name)
 */
public record ReferenceGrantView(ObjectFacts facts, List<From> from, List<To> to) {

  /** A {@code spec.from} entry. */
  public record From(String group, String kind, String namespace) {

    public From {
      requireNonNull(group, "group");
      requireNonNull(kind, "kind");
      requireNonNull(namespace, "namespace");
    }
  }

  /** A {@code spec.to} entry; without a name, every object of the group and kind. */
  public record To(String group, String kind, Optional<String> name) {

    public To {
      requireNonNull(group, "group");
      requireNonNull(kind, "kind");
      requireNonNull(name, "name");
    }
  }

  public ReferenceGrantView {
    requireNonNull(facts, "facts");
    from = List.copyOf(from);
    to = List.copyOf(to);
  }

  /**
   * Whether this grant permits an object of {@code fromGroup/fromKind} in {@code fromNamespace} to
   * refer to the object {@code toGroup/toKind/toName} in this grant's namespace.
   */
  public boolean permits(
      String fromGroup,
      String fromKind,
      String fromNamespace,
      String toGroup,
      String toKind,
      String toName) {
    boolean fromMatches = false;
    for (From entry : from) {
      if (entry.group.equals(fromGroup)
          && entry.kind.equals(fromKind)
          && entry.namespace.equals(fromNamespace)) {
        fromMatches = true;
        break;
      }
    }
    if (!fromMatches) {
      return false;
    }
    for (To entry : to) {
      if (entry.group.equals(toGroup)
          && entry.kind.equals(toKind)
          && entry.name.map(toName::equals).orElse(true)) {
        return true;
      }
    }
    return false;
  }
}
