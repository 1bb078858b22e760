package io.portico.controller.gateway;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The routes read by the last translation, kept by object identity for the next one. Reading an
 * HTTPRoute or GRPCRoute (validation and defaults) is a pure function of the object, and the
 * snapshot never changes an object it holds: a changed route arrives as a new object. So a route
 * the next snapshot still holds as the same instance reads the same, and with thousands of routes a
 * change to one reads one. Only the last translation's routes are kept: a route that left the
 * snapshot leaves here at the next {@link #translated()}.
 *
 * <p>Not thread-safe: one translation at a time, as the sync loop runs them.
 */
public final class RouteReads {

  private Map<HasMetadata, Read<RouteView>> last = new IdentityHashMap<>();
  private Map<HasMetadata, Read<RouteView>> current = new IdentityHashMap<>();

  <R extends HasMetadata> Read<RouteView> read(R route, Function<R, Read<RouteView>> reader) {
    Read<RouteView> read = last.get(route);
    if (read == null) {
      read = reader.apply(route);
    }
    current.put(route, read);
    return read;
  }

  /** Ends a translation: what it read is what the next one may reuse. */
  void translated() {
    last = current;
    current = new IdentityHashMap<>();
  }

  /** How many routes the last translation read or reused. */
  int size() {
    return last.size();
  }
}
