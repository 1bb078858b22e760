package io.portico.controller.gateway;

import io.portico.controller.gateway.GatewayApi.Reason;
import io.portico.controller.gateway.GatewayApi.Type;
import java.util.Optional;

/**
 * Whether a route's backend reference can be used, checked in the order of the specification: the
 * kind ({@code InvalidKind}), then permission across namespaces ({@code RefNotPermitted}), then
 * existence ({@code BackendNotFound}). Route status and the route model both ask here, so that a
 * backend the status calls unresolved is one the data plane answers 500 for.
 */
final class BackendChecks {

  private final ReferenceGrants grants;
  private final GatewayReferences references;

  BackendChecks(ReferenceGrants grants, GatewayReferences references) {
    this.grants = grants;
    this.references = references;
  }

  /** The {@code ResolvedRefs=False} condition for the reference, or empty when it resolves. */
  Optional<Condition> problem(RouteView route, TargetRef ref, String field) {
    long generation = route.facts().generation();
    String namespace = route.namespace();
    if (!ref.is(GatewayApi.CORE_GROUP, GatewayApi.SERVICE)) {
      return Optional.of(
          Condition.isFalse(
              Type.RESOLVED_REFS,
              Reason.INVALID_KIND,
              field + ref.describe(namespace) + " (expected: a Service of the core group)",
              generation));
    }
    if (!grants.permits(route.kind().kind(), namespace, ref)) {
      return Optional.of(
          Condition.isFalse(
              Type.RESOLVED_REFS,
              Reason.REF_NOT_PERMITTED,
              field
                  + ref.describe(namespace)
                  + " is in another namespace (expected: a ReferenceGrant there for "
                  + route.kind().kind()
                  + "s of "
                  + namespace
                  + ")",
              generation));
    }
    if (!references.serviceExists(ref.key(namespace))) {
      return Optional.of(
          Condition.isFalse(
              Type.RESOLVED_REFS,
              Reason.BACKEND_NOT_FOUND,
              field + ref.describe(namespace) + ": not found",
              generation));
    }
    return Optional.empty();
  }
}
