package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.access.ClientCertificatePolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.Route;
import io.portico.router.route.RouteTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Which TLS server names ask the client for a certificate: those whose virtual host (the one a
 * request for that name routes to: exact host, then wildcard, then rules without a host) has a
 * route with a {@link ClientCertificatePolicy} that requests one. Every other handshake sends no
 * CertificateRequest, as nginx's servers without {@code ssl_verify_client}.
 *
 * <p>Read at each handshake from the routing table in force; the hosts of a table are collected
 * once, by the first handshake that sees it, and kept until the table is replaced.
 */
final class ClientCertificateHosts implements Predicate<@Nullable String> {

  /** The hosts of one table. */
  private record Memo(RouteTable table, Set<HostnamePattern> hosts) {}

  private final Supplier<RouteTable> routes;
  private volatile @Nullable Memo memo;

  /**
   * @param routes the table in force, read at each handshake
   */
  ClientCertificateHosts(Supplier<RouteTable> routes) {
    this.routes = requireNonNull(routes, "routes");
  }

  /** Whether a handshake for {@code serverName} (SNI; {@code null} when none) asks for one. */
  @Override
  public boolean test(@Nullable String serverName) {
    if (serverName == null || serverName.isEmpty()) {
      return false;
    }
    RouteTable table = routes.get();
    Memo current = memo;
    if (current == null || current.table() != table) {
      current = new Memo(table, hostsOf(table));
      memo = current;
    }
    if (current.hosts().isEmpty()) {
      return false;
    }
    return current
        .hosts()
        .contains(table.hostFor(HostnamePattern.normalizeRequestHost(serverName)));
  }

  /** The host patterns with a route that requests a client certificate. */
  static Set<HostnamePattern> hostsOf(RouteTable table) {
    List<Route> all = new ArrayList<>(table.routes());
    all.addAll(table.fallbacks().values());
    table.defaultRoute().ifPresent(all::add);
    Set<HostnamePattern> hosts = new HashSet<>();
    for (Route route : all) {
      for (RequestPolicy policy : route.policies().all()) {
        if (policy instanceof ClientCertificatePolicy certificates
            && certificates.requestsCertificate()) {
          hosts.add(route.host());
        }
      }
    }
    return Set.copyOf(hosts);
  }
}
