package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.balance.AffinityKey;
import io.portico.router.policy.RequestPolicy;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * An immutable host/path routing table. Host lookup is a hash lookup; path lookup probes one hash
 * table per host with the path's segment prefixes (see {@link VirtualHost}); neither grows with the
 * number of rules. Matching follows {@link RoutePrecedence}.
 *
 * <p>Two tables are equal when they hold equal routes, host fallbacks and default backend, so a
 * translation that changes nothing can be recognised and not published.
 *
 * <p>Each distinct {@link Backend} (a backend includes its policy) has one {@link Upstream}, with
 * the session cookie values of its endpoints computed once with the table's {@link AffinityKey}.
 * The key is not part of equality: it is fixed for the life of a process.
 *
 * <p>A table is made either whole, by a {@link RouteTableBuilder} that keeps the first claim on
 * each host, path and match type, or from another table by a {@link RouteTableEdit} that replaces
 * the rules of some hosts. An edit costs in proportion to the hosts it changes: every other host
 * keeps its lookup structures, the host tables are copied, not rebuilt, and an {@link
 * UpstreamLineage} carries the upstreams, with their balancing state, from one table to the next.
 */
public final class RouteTable {

  /** The kind number of host keys in the host {@link KeyTable}s. */
  static final int HOST = 0;

  private static final Reference<RouteTable> NO_BASE = new WeakReference<>(null);
  private static final RouteTable EMPTY = new RouteTable(AffinityKey.builtIn());

  private final KeyTable exactHosts;
  private final KeyTable wildcardHosts;
  private final VirtualHost anyHost;
  private final @Nullable Route defaultRoute;
  private final AffinityKey affinityKey;
  private final int routeCount;
  private final int hostCount;
  private final int endpointCount;
  // Handed to the next edit, which takes it once: see UpstreamLineage.
  private final AtomicReference<UpstreamLineage> lineage;
  // The table this one was edited from, and the hosts the edit rebuilt, for a cheap equals() with
  // it. Weak, so that a table does not keep the tables before it alive.
  private final Reference<RouteTable> base;
  private final List<HostnamePattern> rebuilt;
  private final Views views = new Views();
  // The Gateway API rules of the listeners that have some; kept by edits of the Ingress rules.
  private final ListenerTables listeners;

  private RouteTable(AffinityKey affinityKey) {
    this.exactHosts = KeyTable.empty();
    this.wildcardHosts = KeyTable.empty();
    this.anyHost = VirtualHost.build(HostnamePattern.any(), List.of(), null, null, b -> null);
    this.defaultRoute = null;
    this.affinityKey = affinityKey;
    this.routeCount = 0;
    this.hostCount = 0;
    this.endpointCount = 0;
    this.lineage = new AtomicReference<>();
    this.base = NO_BASE;
    this.rebuilt = List.of();
    this.listeners = ListenerTables.NONE;
  }

  /** A table made by an edit of {@code parts.base()}. */
  RouteTable(Parts parts) {
    this.exactHosts = parts.exactHosts();
    this.wildcardHosts = parts.wildcardHosts();
    this.anyHost = parts.anyHost();
    this.defaultRoute = parts.defaultRoute();
    this.affinityKey = parts.base().affinityKey;
    this.routeCount = parts.routeCount();
    this.hostCount = parts.hostCount();
    this.listeners = parts.base().listeners;
    this.endpointCount = parts.lineage().endpointCount(parts.defaultRoute(), listeners.endpoints());
    this.lineage = new AtomicReference<>(parts.lineage());
    this.base = new WeakReference<>(parts.base());
    this.rebuilt = List.copyOf(parts.rebuilt());
  }

  /** The table {@code ingress} with other Gateway API rules: everything else is shared. */
  private RouteTable(RouteTable ingress, ListenerTables listeners) {
    this.exactHosts = ingress.exactHosts;
    this.wildcardHosts = ingress.wildcardHosts;
    this.anyHost = ingress.anyHost;
    this.defaultRoute = ingress.defaultRoute;
    this.affinityKey = ingress.affinityKey;
    this.routeCount = ingress.routeCount;
    this.hostCount = ingress.hostCount;
    UpstreamLineage carried = ingress.takeLineage();
    if (carried == null) {
      carried = UpstreamLineage.of(ingress);
    }
    this.listeners = listeners;
    this.endpointCount = carried.endpointCount(defaultRoute, listeners.endpoints());
    this.lineage = new AtomicReference<>(carried);
    // Equal Ingress rules: an edit of this table compares with ingress's hosts as it would.
    this.base = new WeakReference<>(ingress);
    this.rebuilt = List.of();
  }

  /**
   * What an edit makes a table of.
   *
   * @param base the table the edit started from
   * @param rebuilt the host patterns whose virtual hosts the edit replaced or removed
   * @param lineage the upstreams of the new table, to be handed to its next edit
   */
  record Parts(
      RouteTable base,
      KeyTable exactHosts,
      KeyTable wildcardHosts,
      VirtualHost anyHost,
      @Nullable Route defaultRoute,
      int routeCount,
      int hostCount,
      List<HostnamePattern> rebuilt,
      UpstreamLineage lineage) {}

  /** A builder whose session cookies use the {@linkplain AffinityKey#builtIn() built-in key}. */
  public static RouteTableBuilder builder() {
    return new RouteTableBuilder(AffinityKey.builtIn());
  }

  /** A builder whose session cookies are keyed with {@code affinityKey}. */
  public static RouteTableBuilder builder(AffinityKey affinityKey) {
    return new RouteTableBuilder(requireNonNull(affinityKey, "affinityKey"));
  }

  /** A table without routes: every request gets Portico's 404. */
  public static RouteTable empty() {
    return EMPTY;
  }

  /** A table without routes whose session cookies are keyed with {@code affinityKey}. */
  public static RouteTable empty(AffinityKey affinityKey) {
    return affinityKey == EMPTY.affinityKey ? EMPTY : new RouteTable(affinityKey);
  }

  /**
   * This table's Ingress rules with {@code routes} as the Gateway API rules of the listeners, one
   * entry per listener. Upstreams of backends this table's Gateway API rules already use are kept,
   * with their balancing state. Returns this table when the rules are equal to its own.
   *
   * @throws IllegalArgumentException when two entries name one listener
   */
  public RouteTable withListenerRoutes(List<ListenerRoutes> routes) {
    requireNonNull(routes, "routes");
    if (routes.equals(listeners.routes())) {
      return this;
    }
    return new RouteTable(this, ListenerTables.of(routes, listeners, affinityKey));
  }

  /** The Gateway API rules of every listener that has some, in listener order. */
  public List<ListenerRoutes> listenerRoutes() {
    return listeners.routes();
  }

  /** The Gateway API rules of one listener, or {@code null} when it has none. */
  public @Nullable ListenerRoutes listenerRoutes(ListenerKey listener) {
    ListenerTable table = listeners.get(listener);
    return table == null ? null : table.routes();
  }

  /** Whether {@code listener} serves Gateway API rules, which match on more than host and path. */
  public boolean hasListenerRoutes(ListenerKey listener) {
    return listeners.get(listener) != null;
  }

  /**
   * Finds the route for a request on one of Portico's listeners.
   *
   * <p>A listener without Gateway API rules serves the Ingress rules (Portico's HTTP and HTTPS
   * listeners) or nothing. On one with some, the Gateway listeners' group whose hostname is the
   * most specific that covers the host is selected, and it claims the host name when one of its
   * rules serves that name. On Portico's HTTP and HTTPS listeners the Ingress rules keep a host
   * whose Ingress host pattern is strictly more specific than the host name of that claim (an exact
   * Ingress host over a Gateway API wildcard or catch-all; a one-label Ingress wildcard over a
   * Gateway API wildcard with a shorter suffix; any Ingress wildcard over a catch-all); every other
   * claimed host is the Gateway API's alone, and a request that none of its rules matches gets 404.
   * The hand-over is per host name: what Gateway API rules do not claim stays with the Ingress
   * rules.
   *
   * @param host the request host, normalised with {@link HostnamePattern#normalizeRequestHost}
   * @param path the request path, normalised with {@link RequestPaths#normalize}
   * @return the target, or {@code null} when nothing matches (Portico answers 404)
   */
  public @Nullable RouteTarget match(
      ListenerKey listener, String host, String path, RequestAttributes request) {
    ListenerTable table = listeners.get(listener);
    ListenerTable.Selection selection = table == null ? null : table.select(host);
    if (selection == null) {
      return listener.servesIngress() ? match(host, path) : null;
    }
    if (listener.servesIngress()) {
      VirtualHost ingress = virtualHost(host);
      if (ingressRank(ingress) > selection.rank()) {
        return ingress.match(path);
      }
    }
    return ListenerTable.match(selection, host, path, request);
  }

  /**
   * Whether the Gateway API rules of {@code listener} claim {@code host} over the Ingress rules
   * (see {@link #match(ListenerKey, String, String, RequestAttributes)}); for explanations.
   */
  public boolean gatewayClaims(ListenerKey listener, String host) {
    ListenerTable table = listeners.get(listener);
    ListenerTable.Selection selection = table == null ? null : table.select(host);
    if (selection == null) {
      return false;
    }
    return !listener.servesIngress() || ingressRank(virtualHost(host)) <= selection.rank();
  }

  private long ingressRank(VirtualHost host) {
    if (host == anyHost) {
      return HostIndex.rank(HostIndex.Kind.ANY, 0);
    }
    HostnamePattern pattern = host.pattern();
    return pattern.kind() == HostnamePattern.Kind.EXACT
        ? HostIndex.rank(HostIndex.Kind.EXACT, pattern.value().length())
        : HostIndex.rank(HostIndex.Kind.WILDCARD, pattern.wildcardDomain().length());
  }

  /** An edit that starts from this table, which does not change. */
  public RouteTableEdit edit() {
    return new RouteTableEdit(this);
  }

  /**
   * Finds the route for a request.
   *
   * @param host the request host, already normalised with {@link
   *     HostnamePattern#normalizeRequestHost}; empty for a request without one
   * @param path the request path, already normalised with {@link RequestPaths#normalize}
   * @return the matching target, or {@code null} when nothing matches and no default backend
   *     applies (Portico answers 404)
   */
  public @Nullable RouteTarget match(String host, String path) {
    return virtualHost(host).match(path);
  }

  /**
   * Which host pattern serves a request host, by the rules of {@link RoutePrecedence}: the exact
   * host, the one-label wildcard, or any host. For explanations; {@link #match} does not need it.
   */
  public HostnamePattern hostFor(String host) {
    VirtualHost selected = virtualHost(host);
    return selected == anyHost ? HostnamePattern.any() : selected.pattern();
  }

  private VirtualHost virtualHost(String host) {
    int length = host.length();
    Object exact = exactHosts.get(host, 0, length, host.hashCode(), HOST);
    if (exact != null) {
      return (VirtualHost) exact;
    }
    if (!wildcardHosts.isEmpty()) {
      // The domain below the first label: a.example.com looks up example.com.
      int dot = host.indexOf('.');
      if (dot > 0) {
        int offset = dot + 1;
        Object wildcard =
            wildcardHosts.get(
                host, offset, length - offset, KeyTable.hash(host, offset, length - offset), HOST);
        if (wildcard != null) {
          return (VirtualHost) wildcard;
        }
      }
    }
    return anyHost;
  }

  /** The virtual host of a pattern, or {@code null} (never for any host). */
  @Nullable VirtualHost host(HostnamePattern pattern) {
    return switch (pattern.kind()) {
      case EXACT -> (VirtualHost) exactHosts.get(pattern.value(), HOST);
      case WILDCARD -> (VirtualHost) wildcardHosts.get(pattern.wildcardDomain(), HOST);
      case ANY -> anyHost;
    };
  }

  /** Every virtual host, in no particular order; any host last. */
  List<VirtualHost> hosts() {
    List<VirtualHost> all = new ArrayList<>(exactHosts.size() + wildcardHosts.size() + 1);
    exactHosts.forEachValue(host -> all.add((VirtualHost) host));
    wildcardHosts.forEachValue(host -> all.add((VirtualHost) host));
    all.add(anyHost);
    return all;
  }

  KeyTable exactHosts() {
    return exactHosts;
  }

  KeyTable wildcardHosts() {
    return wildcardHosts;
  }

  VirtualHost anyHost() {
    return anyHost;
  }

  AffinityKey affinityKey() {
    return affinityKey;
  }

  /**
   * The lineage this table was made with, for an edit to carry on; {@code null} when an earlier
   * edit of this table took it.
   */
  @Nullable UpstreamLineage takeLineage() {
    return lineage.getAndSet(null);
  }

  /**
   * Every host pattern with its rules (a host with only a default backend has none), in no
   * particular order: for a caller that looks at each host once per table and needs no order, which
   * {@link #routes()} would sort first.
   */
  public void forEachHost(BiConsumer<HostnamePattern, List<Route>> action) {
    for (VirtualHost host : hosts()) {
      action.accept(host.pattern(), host.routes());
    }
  }

  /** Every rule, in display order (see {@link RoutePrecedence#DISPLAY_ORDER}). */
  public List<Route> routes() {
    return views.get(this).routes();
  }

  /** The per-host default backends (from {@code spec.defaultBackend}); empty when none. */
  public Map<HostnamePattern, Route> fallbacks() {
    return views.get(this).fallbacks();
  }

  /** The controller-wide default backend, if one is configured. */
  public Optional<Route> defaultRoute() {
    return Optional.ofNullable(defaultRoute);
  }

  /** The controller-wide default backend, or {@code null}. */
  @Nullable Route defaultRouteOrNull() {
    return defaultRoute;
  }

  /** The number of distinct host patterns with rules. */
  public int hostCount() {
    return hostCount;
  }

  /** The number of Ingress rules (Gateway API rules: see {@link #listenerRoutes()}). */
  public int routeCount() {
    return routeCount;
  }

  /**
   * The number of distinct endpoints the table sends new requests to (ready ones, or serving ones
   * where none is ready), over its rules, fallbacks and default backend.
   */
  public int endpointCount() {
    return endpointCount;
  }

  /**
   * The table as text, one line per rule and default backend, grouped by host in display order;
   * then the Gateway API rules of each listener that has some.
   */
  public String dump() {
    StringBuilder out = new StringBuilder();
    Map<HostnamePattern, List<Route>> byHost = new LinkedHashMap<>();
    for (Route route : routes()) {
      byHost.computeIfAbsent(route.host(), h -> new ArrayList<>()).add(route);
    }
    Map<HostnamePattern, Route> fallbacks = fallbacks();
    for (HostnamePattern host : fallbacks.keySet()) {
      byHost.computeIfAbsent(host, h -> new ArrayList<>());
    }
    byHost.keySet().stream()
        .sorted()
        .forEach(
            host -> {
              out.append("host ").append(host).append('\n');
              for (Route route : requireNonNull(byHost.get(host), "byHost.get(host)")) {
                out.append("  ")
                    .append(String.format("%-6s", route.path().typeName()))
                    .append(' ')
                    .append(route.path().rulePath());
                appendTarget(out, route);
                appendCanaries(out, route.canaries());
                route.mirror().ifPresent(m -> out.append("    mirror ").append(m).append('\n'));
              }
              Route fallback = fallbacks.get(host);
              if (fallback != null) {
                appendDefault(out, "  default", fallback);
              }
            });
    if (defaultRoute != null) {
      appendDefault(out, "default", defaultRoute);
    }
    for (ListenerRoutes listener : listeners.routes()) {
      out.append(listener.dump());
    }
    return out.toString();
  }

  private static void appendDefault(StringBuilder out, String label, Route route) {
    out.append(label);
    appendTarget(out, route);
  }

  private static void appendTarget(StringBuilder out, Route route) {
    out.append(" -> ").append(route.backend()).append("  (").append(route.origin()).append(')');
    appendHttps(out, route);
  }

  /** One line per canary: {@code canary ns/svc:port [endpoints] (ns/ingress) header ...}. */
  private static void appendCanaries(StringBuilder out, Canaries canaries) {
    for (Canary canary : canaries.canaries()) {
      out.append("    canary ")
          .append(canary.backend())
          .append("  (")
          .append(canary.origin())
          .append(")  ")
          .append(canary.match());
      if (canary.match().weight() > 0) {
        out.append('/').append(canaries.weightTotal());
      }
      out.append('\n');
    }
  }

  private static void appendHttps(StringBuilder out, Route route) {
    String label = route.https().label();
    if (!label.isEmpty()) {
      out.append("  [").append(label).append(']');
    }
    String policies = policyLabels(route);
    if (!policies.isEmpty()) {
      out.append("  {").append(policies).append('}');
    }
    out.append('\n');
  }

  /**
   * What the route's policies (other than its HTTPS ones) and error pages do, {@code ; } separated;
   * empty for most routes.
   */
  public static String policyLabels(Route route) {
    StringBuilder labels = new StringBuilder();
    for (RequestPolicy policy : route.policies().all()) {
      String label = policy.label();
      if (!label.isEmpty()) {
        labels.append(labels.isEmpty() ? "" : "; ").append(label);
      }
    }
    if (route.errorPages() != null) {
      labels.append(labels.isEmpty() ? "" : "; ").append(route.errorPages());
    }
    return labels.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof RouteTable other)
        || routeCount != other.routeCount
        || exactHosts.size() != other.exactHosts.size()
        || wildcardHosts.size() != other.wildcardHosts.size()
        || !Objects.equals(defaultRoute, other.defaultRoute)
        || !listeners.equals(other.listeners)) {
      return false;
    }
    // An edit and the table it came from differ at most in the hosts the edit rebuilt.
    if (base.get() == other) {
      return sameHosts(other, rebuilt);
    }
    if (other.base.get() == this) {
      return sameHosts(other, other.rebuilt);
    }
    List<HostnamePattern> all = new ArrayList<>();
    hosts().forEach(host -> all.add(host.pattern()));
    return sameHosts(other, all);
  }

  private boolean sameHosts(RouteTable other, List<HostnamePattern> patterns) {
    for (HostnamePattern pattern : patterns) {
      VirtualHost mine = host(pattern);
      VirtualHost theirs = other.host(pattern);
      if (mine == theirs) {
        continue;
      }
      if (mine == null || theirs == null) {
        return false;
      }
      if (!mine.routes().equals(theirs.routes())
          || !Objects.equals(mine.ownFallback(), theirs.ownFallback())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return routeCount * 31 + exactHosts.size() * 7 + wildcardHosts.size();
  }

  @Override
  public String toString() {
    return dump();
  }

  /** The read-only views, derived together from the virtual hosts. */
  private record ViewValues(List<Route> routes, Map<HostnamePattern, Route> fallbacks) {

    static ViewValues of(RouteTable table) {
      List<VirtualHost> hosts = table.hosts();
      hosts.sort((a, b) -> a.pattern().compareTo(b.pattern()));
      List<Route> routes = new ArrayList<>(table.routeCount);
      Map<HostnamePattern, Route> fallbacks = new HashMap<>();
      for (VirtualHost host : hosts) {
        routes.addAll(host.routes());
        if (host.ownFallback() != null) {
          fallbacks.put(host.pattern(), host.ownFallback());
        }
      }
      return new ViewValues(List.copyOf(routes), Map.copyOf(fallbacks));
    }
  }

  /**
   * A cache of the read-only views, derived on first use: only operators and tests read them, and
   * deriving them with every table would make each edit cost in proportion to the whole table. Racy
   * on purpose: threads that derive the views at the same time derive equal values, and any one of
   * them may be kept.
   */
  private static final class Views {
    private volatile @Nullable ViewValues values;

    ViewValues get(RouteTable table) {
      ViewValues derived = values;
      if (derived == null) {
        derived = ViewValues.of(table);
        values = derived;
      }
      return derived;
    }
  }
}
