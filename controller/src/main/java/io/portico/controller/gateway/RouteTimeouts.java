package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * An HTTPRoute rule's {@code timeouts}. A zero duration disables that timeout.
 *
 * @param request from the request's start to the end of the response to the client
 * @param backendRequest one attempt to the backend
 */
public record RouteTimeouts(Optional<Duration> request, Optional<Duration> backendRequest) {

  public static final RouteTimeouts NONE = new RouteTimeouts(Optional.empty(), Optional.empty());

  public RouteTimeouts {
    requireNonNull(request, "request");
    requireNonNull(backendRequest, "backendRequest");
  }
}
