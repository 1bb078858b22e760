package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An HTTPRoute or GRPCRoute as read, with the CRDs' defaults applied.
 *
 * @param facts its key, generation and creation time
 * @param kind {@link GroupKind#HTTP_ROUTE} or {@link GroupKind#GRPC_ROUTE}
 * @param hostnames {@code spec.hostnames}; empty for every name its listeners serve
 * @param parentRefs {@code spec.parentRefs}, defaulted
 * @param rules {@code spec.rules}, in order (an HTTPRoute without rules has the default one)
 */
public record RouteView(
    ObjectFacts facts,
    GroupKind kind,
    List<Hostname> hostnames,
    List<ParentRef> parentRefs,
    List<RouteRule> rules) {

  public RouteView {
    requireNonNull(facts, "facts");
    requireNonNull(kind, "kind");
    hostnames = List.copyOf(hostnames);
    parentRefs = List.copyOf(parentRefs);
    rules = List.copyOf(rules);
  }

  public String namespace() {
    return facts.key().namespace();
  }

  /** {@code HTTPRoute infra/name}. */
  public String describe() {
    return kind.kind() + " " + facts.key();
  }
}
