package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A route attached to a listener Portico serves, with the hostnames it serves there: the
 * intersection of the route's hostnames and the listener's.
 *
 * @param route the route
 * @param listener the listener
 * @param hostnames the names it serves through that listener; empty for every name (neither the
 *     route nor the listener names one)
 */
public record Attachment(RouteView route, ServedListener listener, List<Hostname> hostnames) {

  public Attachment {
    requireNonNull(route, "route");
    requireNonNull(listener, "listener");
    hostnames = List.copyOf(hostnames);
  }
}
