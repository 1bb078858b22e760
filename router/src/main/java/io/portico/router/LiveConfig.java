package io.portico.router;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The configuration the data plane serves, replaced as a whole by a single reference swap. Readers
 * never lock; the one writer (the translation thread) publishes a new generation only when
 * something changed.
 */
public final class LiveConfig {

  private final AtomicReference<RoutingConfig> current =
      new AtomicReference<>(RoutingConfig.initial());

  /** The configuration to use for one request, read once per request. */
  public RoutingConfig current() {
    return current.get();
  }

  /**
   * Publishes a new routing table as the next generation, unless it equals the one serving.
   *
   * @return the configuration now serving: the new generation, or the unchanged current one
   */
  public RoutingConfig publish(io.portico.router.route.RouteTable routes) {
    requireNonNull(routes, "routes");
    while (true) {
      RoutingConfig serving = current.get();
      if (serving.generation() > 0 && serving.routes().equals(routes)) {
        return serving;
      }
      RoutingConfig next = new RoutingConfig(serving.generation() + 1, routes);
      if (current.compareAndSet(serving, next)) {
        return next;
      }
    }
  }
}
