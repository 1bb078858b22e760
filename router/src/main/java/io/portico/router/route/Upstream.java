package io.portico.router.route;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime side of a {@link Backend} within one configuration generation: it chooses the
 * endpoint for each request. Its state is lock-free and is not part of any equality: two tables
 * with equal routes are equal whatever their counters say.
 */
public final class Upstream {

  private final Backend backend;
  private final AtomicInteger next = new AtomicInteger();

  Upstream(Backend backend) {
    this.backend = backend;
  }

  public Backend backend() {
    return backend;
  }

  /** The next endpoint in round-robin order, or {@code null} when the backend has none. */
  public Endpoint pick() {
    List<Endpoint> endpoints = backend.endpoints();
    int size = endpoints.size();
    if (size == 0) {
      return null;
    }
    return endpoints.get(Math.floorMod(next.getAndIncrement(), size));
  }

  /**
   * An endpoint other than {@code failed}, for the one retry after a connection failure, or {@code
   * null} when there is no other.
   */
  public Endpoint pickOther(Endpoint failed) {
    List<Endpoint> endpoints = backend.endpoints();
    int size = endpoints.size();
    if (size < 2) {
      return null;
    }
    int start = Math.floorMod(next.getAndIncrement(), size);
    for (int i = 0; i < size; i++) {
      Endpoint candidate = endpoints.get((start + i) % size);
      if (!candidate.equals(failed)) {
        return candidate;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return backend.toString();
  }
}
