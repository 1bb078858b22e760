package io.portico.router.route;

import io.portico.router.balance.AffinityKey;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The Gateway API rules of every listener that has some, compiled. A new set keeps the {@link
 * Upstream} of every backend the previous set also uses, so balancing state carries on across
 * configurations as it does for Ingress rules.
 */
final class ListenerTables {

  static final ListenerTables NONE = new ListenerTables(Map.of(), List.of());

  private final Map<ListenerKey, ListenerTable> tables;
  private final List<ListenerRoutes> routes;

  private ListenerTables(Map<ListenerKey, ListenerTable> tables, List<ListenerRoutes> routes) {
    this.tables = tables;
    this.routes = routes;
  }

  /**
   * Compiles {@code routes}, reusing the upstreams of {@code previous} for equal backends.
   *
   * @throws IllegalArgumentException when two entries name the same listener
   */
  static ListenerTables of(
      List<ListenerRoutes> routes, ListenerTables previous, AffinityKey affinityKey) {
    if (routes.isEmpty()) {
      return NONE;
    }
    Map<Backend, Upstream> kept = new HashMap<>();
    for (ListenerTable table : previous.tables.values()) {
      for (Upstream upstream : table.upstreams()) {
        kept.putIfAbsent(upstream.backend(), upstream);
      }
    }
    Map<Backend, Upstream> used = new HashMap<>();
    Map<ListenerKey, ListenerTable> tables = new TreeMap<>();
    for (ListenerRoutes listener : routes) {
      ListenerTable table =
          new ListenerTable(
              listener,
              backend ->
                  used.computeIfAbsent(
                      backend,
                      b -> {
                        Upstream old = kept.get(b);
                        return old != null ? old : new Upstream(b, affinityKey);
                      }));
      if (tables.put(listener.key(), table) != null) {
        throw new IllegalArgumentException(
            "routes: listener " + listener.key() + " twice (expected: one entry each)");
      }
    }
    return new ListenerTables(
        Collections.unmodifiableMap(tables),
        tables.values().stream().map(ListenerTable::routes).toList());
  }

  /** The table of a listener, or {@code null} when it serves no Gateway API rule. */
  @Nullable ListenerTable get(ListenerKey key) {
    return tables.get(key);
  }

  /** Every listener's rules, in listener order. */
  List<ListenerRoutes> routes() {
    return routes;
  }

  boolean isEmpty() {
    return tables.isEmpty();
  }

  /** The distinct endpoints the rules send new requests to. */
  Set<Endpoint> endpoints() {
    Set<Endpoint> endpoints = Collections.newSetFromMap(new HashMap<>());
    Set<Upstream> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ListenerTable table : tables.values()) {
      for (Upstream upstream : table.upstreams()) {
        if (seen.add(upstream)) {
          endpoints.addAll(upstream.backend().endpoints());
        }
      }
    }
    return endpoints;
  }

  /** The number of rules over every listener. */
  int ruleCount() {
    int count = 0;
    for (ListenerRoutes listener : routes) {
      count += listener.ruleCount();
    }
    return count;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof ListenerTables other && routes.equals(other.routes));
  }

  @Override
  public int hashCode() {
    return routes.hashCode();
  }
}
