package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A rule's {@code backendRefs} entry as read.
 *
 * @param ref the backend (core Service by default)
 * @param port the Service port (required for a Service)
 * @param weight relative share of the rule's traffic, 1 by default, 0 never chosen
 * @param filters filters applied only when this backend is chosen
 */
public record BackendRefView(
    TargetRef ref, Optional<Integer> port, int weight, List<RouteFilter> filters) {

  public BackendRefView {
    requireNonNull(ref, "ref");
    requireNonNull(port, "port");
    filters = List.copyOf(filters);
  }
}
