package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One rule of a route as read.
 *
 * @param name {@code name}, if given
 * @param matches its matches; an HTTPRoute rule always has at least the default {@code PathPrefix
 *     /}, a GRPCRoute rule without matches matches every request
 * @param filters rule-level filters, in order
 * @param backendRefs the backends, with weights; empty when the rule forwards nowhere
 * @param timeouts {@code timeouts} (HTTPRoute only)
 * @param session {@code sessionPersistence} (experimental channel), if written
 */
public record RouteRule(
    Optional<String> name,
    List<RouteMatch> matches,
    List<RouteFilter> filters,
    List<BackendRefView> backendRefs,
    RouteTimeouts timeouts,
    Optional<RouteSession> session) {

  public RouteRule {
    requireNonNull(name, "name");
    matches = List.copyOf(matches);
    filters = List.copyOf(filters);
    backendRefs = List.copyOf(backendRefs);
    requireNonNull(timeouts, "timeouts");
    requireNonNull(session, "session");
  }
}
