package io.portico.router.policy.limit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests in flight of every client address a replica limits ({@code limit-connections}),
 * counted per (zone, address). A count exists only while its address has a request in flight: it is
 * removed when it returns to zero, so the state is bounded by the requests in flight, never by how
 * many clients came. On top of that, at most {@code maxClients} counts exist at once: past that, a
 * request from an address not counted yet is refused, as nginx refuses one when its zone's memory
 * is full (limiting fails closed).
 *
 * <p>Shared by every event loop: the limit is per replica, as in ingress-nginx, so the counts of
 * one address are the same whichever event loop its connections landed on. Each count changes
 * atomically under its map entry.
 */
public final class ClientConnections {

  /** The bound the controller uses: far more addresses than one replica has requests in flight. */
  public static final int DEFAULT_MAX_CLIENTS = 100_000;

  private static final ClientConnections SHARED = new ClientConnections(DEFAULT_MAX_CLIENTS);

  private record Key(String zone, String address) {}

  /** An address's requests in flight; {@code admitted} says whether the last acquire passed. */
  private record Count(int inFlight, boolean admitted) {}

  private final int maxClients;
  private final ConcurrentHashMap<Key, Count> counts = new ConcurrentHashMap<>();
  // How many counts exist, kept beside the map because its size() is an estimate under updates.
  private final AtomicInteger clients = new AtomicInteger();

  /**
   * @param maxClients the most (zone, address) counts kept at once
   */
  public ClientConnections(int maxClients) {
    if (maxClients < 1) {
      throw new IllegalArgumentException("maxClients: " + maxClients + " (expected: >= 1)");
    }
    this.maxClients = maxClients;
  }

  /** The counts every route of this process shares. */
  public static ClientConnections shared() {
    return SHARED;
  }

  /**
   * Counts one more request of {@code address} in {@code zone} if it has fewer than {@code max} in
   * flight; returns whether it was counted. Each {@code true} must be matched by one {@link
   * #release}.
   */
  boolean tryAcquire(String zone, String address, int max) {
    Count after =
        counts.compute(
            new Key(zone, address),
            (key, before) -> {
              if (before == null) {
                if (clients.incrementAndGet() > maxClients) {
                  clients.decrementAndGet();
                  return null;
                }
                return new Count(1, true);
              }
              if (before.inFlight() >= max) {
                return new Count(before.inFlight(), false);
              }
              return new Count(before.inFlight() + 1, true);
            });
    return after != null && after.admitted();
  }

  /** One counted request of {@code address} in {@code zone} ended. */
  void release(String zone, String address) {
    counts.computeIfPresent(
        new Key(zone, address),
        (key, before) -> {
          if (before.inFlight() <= 1) {
            clients.decrementAndGet();
            return null;
          }
          return new Count(before.inFlight() - 1, true);
        });
  }

  /** The requests of {@code address} in flight in {@code zone} now, for tests and metrics. */
  public int inFlight(String zone, String address) {
    Count count = counts.get(new Key(zone, address));
    return count == null ? 0 : count.inFlight();
  }

  /** How many (zone, address) counts exist now: those with a request in flight. */
  public int size() {
    return clients.get();
  }
}
