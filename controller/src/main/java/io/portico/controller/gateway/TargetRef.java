package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ObjectKey;
import java.util.Optional;

/**
 * A reference from one object to another by group, kind, name and optional namespace, defaulted: a
 * listener's certificate (core Secret by default) or a route's backend (core Service by default).
 *
 * @param group {@code ""} for the core group
 * @param kind e.g. {@code Service}
 * @param name the target's name
 * @param namespace the target's namespace when written; absent means the referrer's
 */
public record TargetRef(String group, String kind, String name, Optional<String> namespace) {

  public TargetRef {
    requireNonNull(group, "group");
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
  }

  /** The target's key, its namespace defaulting to the referrer's. */
  public ObjectKey key(String referrerNamespace) {
    return new ObjectKey(namespace.orElse(referrerNamespace), name);
  }

  /** Whether the target lives outside the referrer's namespace, which needs a ReferenceGrant. */
  public boolean crossesNamespace(String referrerNamespace) {
    return namespace.isPresent() && !namespace.get().equals(referrerNamespace);
  }

  public boolean is(String group, String kind) {
    return this.group.equals(group) && this.kind.equals(kind);
  }

  /** {@code Service ns/name}, with the group when it is not the core one. */
  public String describe(String referrerNamespace) {
    String groupKind = group.isEmpty() ? kind : kind + "." + group;
    return groupKind + " " + key(referrerNamespace);
  }
}
