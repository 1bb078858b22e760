package io.portico.router;

import static java.util.Objects.requireNonNull;

import io.portico.router.address.ClientAddressRules;
import io.portico.router.route.RouteTable;
import io.portico.tls.CertificateSet;

/**
 * One generation of everything the data plane serves. A request reads the current instance once and
 * uses it to the end, so a swap never changes the rules under a request in flight; the HTTPS
 * listener's certificate selector reads the same instance at each handshake, so routes and
 * certificates change together.
 *
 * @param generation increases by one with every published change; 0 before the first
 * @param routes the host/path routing table
 * @param certificates the certificates the HTTPS listener serves, by SNI name
 * @param clientAddresses how each request's client address is decided (the controller ConfigMap's
 *     {@code use-forwarded-headers}, {@code proxy-real-ip-cidr}, ...)
 */
public record RoutingConfig(
    long generation,
    RouteTable routes,
    CertificateSet certificates,
    ClientAddressRules clientAddresses) {

  public RoutingConfig {
    requireNonNull(routes, "routes");
    requireNonNull(certificates, "certificates");
    requireNonNull(clientAddresses, "clientAddresses");
  }

  /**
   * What serves before the first translation: nothing routes, every request gets 404, and every
   * handshake gets {@code certificates}' default pair.
   */
  public static RoutingConfig initial(CertificateSet certificates) {
    return new RoutingConfig(0, RouteTable.empty(), certificates, ClientAddressRules.PEER_ONLY);
  }
}
