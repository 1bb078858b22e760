package io.portico.router;

import static java.util.Objects.requireNonNull;

import io.portico.router.address.ClientAddressRules;
import io.portico.router.route.RouteTable;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The configuration the data plane serves, replaced as a whole by a single reference swap. Readers
 * never lock; the one writer (the translation thread) publishes a new generation only when
 * something changed.
 */
public final class LiveConfig {

  private final AtomicReference<RoutingConfig> current;

  /** Starts with no routes and {@code initialCertificates}, which serve until the first publish. */
  public LiveConfig(CertificateSet initialCertificates) {
    requireNonNull(initialCertificates, "initialCertificates");
    this.current = new AtomicReference<>(RoutingConfig.initial(initialCertificates));
  }

  /**
   * Starts with no routes and a freshly generated default certificate (see {@link
   * CertificateGenerator#defaultCertificate()}).
   */
  public LiveConfig() {
    this(CertificateSet.of(CertificateGenerator.defaultCertificate()));
  }

  /** The configuration to use for one request or handshake, read once. */
  public RoutingConfig current() {
    return requireNonNull(current.get(), "current");
  }

  /**
   * Publishes a new routing table with the certificates serving now; see {@link
   * #publish(RouteTable, CertificateSet)}.
   */
  public RoutingConfig publish(RouteTable routes) {
    return publish(routes, current().certificates());
  }

  /**
   * Publishes routes and certificates together as the next generation, unless both equal the ones
   * serving.
   *
   * @return the configuration now serving: the new generation, or the unchanged current one
   */
  public RoutingConfig publish(RouteTable routes, CertificateSet certificates) {
    return publish(routes, certificates, current().clientAddresses());
  }

  /**
   * Publishes routes, certificates and the client address rules together as the next generation,
   * unless all equal the ones serving.
   *
   * @return the configuration now serving: the new generation, or the unchanged current one
   */
  public RoutingConfig publish(
      RouteTable routes, CertificateSet certificates, ClientAddressRules clientAddresses) {
    requireNonNull(routes, "routes");
    requireNonNull(certificates, "certificates");
    requireNonNull(clientAddresses, "clientAddresses");
    while (true) {
      RoutingConfig serving = current();
      if (serving.generation() > 0
          && serving.routes().equals(routes)
          && serving.certificates().equals(certificates)
          && serving.clientAddresses().equals(clientAddresses)) {
        return serving;
      }
      RoutingConfig next =
          new RoutingConfig(serving.generation() + 1, routes, certificates, clientAddresses);
      if (current.compareAndSet(serving, next)) {
        return next;
      }
    }
  }
}
