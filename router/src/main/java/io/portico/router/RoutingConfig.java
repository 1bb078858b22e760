package io.portico.router;

import static java.util.Objects.requireNonNull;

import io.portico.router.route.RouteTable;

/**
 * One generation of everything the data plane serves. A request reads the current instance once and
 * uses it to the end, so a swap never changes the rules under a request in flight.
 *
 * @param generation increases by one with every published change; 0 before the first
 * @param routes the host/path routing table
 */
public record RoutingConfig(long generation, RouteTable routes) {

  public RoutingConfig {
    requireNonNull(routes, "routes");
  }

  /** What serves before the first translation: nothing routes, every request gets 404. */
  public static RoutingConfig initial() {
    return new RoutingConfig(0, RouteTable.empty());
  }
}
