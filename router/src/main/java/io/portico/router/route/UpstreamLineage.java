package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.balance.AffinityKey;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What successive tables share and an edit updates instead of recomputing: one {@link Upstream} per
 * distinct backend, with the number of hosts using it, and how many upstreams use each endpoint.
 *
 * <p>An upstream lives as long as some host of the table uses its backend, so its balancing state
 * (the round-robin position, the in-flight counts of {@code least_request}) carries on across
 * edits; a backend that changes (its endpoints or its policy) is another backend, and gets a new
 * upstream.
 *
 * <p>Mutable and single-owner: each table holds the lineage it was made with until the next edit
 * takes it ({@link RouteTable#takeLineage}); an edit of a table whose lineage is gone (a second
 * edit of the same table) starts a new lineage from that table's hosts ({@link #of}), which finds
 * the same upstreams in them.
 */
final class UpstreamLineage {

  /** A backend with its hash, computed once: it walks every endpoint. */
  private record Key(Backend backend, int hash) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key other
          && hash == other.hash
          && (backend == other.backend || backend.equals(other.backend));
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private static final class Held {
    final Upstream upstream;
    int hosts;

    Held(Upstream upstream) {
      this.upstream = upstream;
    }
  }

  private final AffinityKey affinityKey;
  private final Map<Key, Held> upstreams = new HashMap<>();
  private final Map<Endpoint, int[]> endpoints = new HashMap<>();

  private UpstreamLineage(AffinityKey affinityKey) {
    this.affinityKey = affinityKey;
  }

  /** A lineage holding the upstreams of every host of {@code table}. */
  static UpstreamLineage of(RouteTable table) {
    UpstreamLineage lineage = new UpstreamLineage(table.affinityKey());
    for (VirtualHost host : table.hosts()) {
      lineage.hold(host);
    }
    return lineage;
  }

  /** The upstream for a backend: the one the table has, or a new one (held by no host yet). */
  Upstream upstream(Backend backend) {
    Key key = new Key(backend, backend.hashCode());
    Held held = upstreams.get(key);
    if (held == null) {
      held = new Held(new Upstream(backend, affinityKey));
      upstreams.put(key, held);
    }
    return held.upstream;
  }

  /** Counts a host that joins the table as a user of its upstreams. */
  void hold(VirtualHost host) {
    for (Upstream upstream : host.upstreams()) {
      Held held =
          upstreams.computeIfAbsent(
              new Key(upstream.backend(), upstream.backendHash()), k -> new Held(upstream));
      if (held.hosts++ == 0) {
        for (Endpoint endpoint : upstream.backend().endpoints()) {
          endpoints.computeIfAbsent(endpoint, e -> new int[1])[0]++;
        }
      }
    }
  }

  /** Counts a host that leaves the table; an upstream no host uses any more is dropped. */
  void release(VirtualHost host) {
    for (Upstream upstream : host.upstreams()) {
      Key key = new Key(upstream.backend(), upstream.backendHash());
      Held held = requireNonNull(upstreams.get(key), "held");
      if (--held.hosts == 0) {
        upstreams.remove(key);
        for (Endpoint endpoint : upstream.backend().endpoints()) {
          int[] count = requireNonNull(endpoints.get(endpoint), "count");
          if (--count[0] == 0) {
            endpoints.remove(endpoint);
          }
        }
      }
    }
  }

  /**
   * The number of distinct endpoints of the held upstreams and of {@code defaultRoute} ({@code
   * null}: none).
   */
  int endpointCount(@Nullable Route defaultRoute) {
    return endpointCount(defaultRoute, java.util.Set.of());
  }

  /** As {@link #endpointCount(Route)}, counting {@code more} endpoints too. */
  int endpointCount(@Nullable Route defaultRoute, java.util.Set<Endpoint> more) {
    int count = endpoints.size();
    for (Endpoint endpoint : more) {
      if (!endpoints.containsKey(endpoint)
          && (defaultRoute == null || !defaultRoute.backend().endpoints().contains(endpoint))) {
        count++;
      }
    }
    if (defaultRoute != null) {
      for (Endpoint endpoint : defaultRoute.backend().endpoints()) {
        if (!endpoints.containsKey(endpoint)) {
          count++;
        }
      }
    }
    return count;
  }
}
