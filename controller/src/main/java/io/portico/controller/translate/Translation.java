package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.controller.config.ControllerConfig;
import io.portico.controller.gateway.GatewayApiStatus;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.router.route.RouteTable;
import java.util.List;
import java.util.Set;

/**
 * What one translation produced.
 *
 * @param config the controller config in force (the ConfigMap's values, else the defaults)
 * @param routes the routing table to serve
 * @param findings what translation noticed, sorted by object
 * @param ownedIngresses the Ingresses that are Portico's, oldest first
 * @param referencedServices the Services the table refers to: a change to any other Service (or its
 *     endpoints) cannot change the table
 * @param referencedSecrets the Secrets the configuration refers to: {@code spec.tls} Secrets of
 *     owned Ingresses, their {@code auth-secret}s and {@code --default-tls-secret}
 * @param referencedConfigMaps the ConfigMaps the configuration refers to besides the controller
 *     ConfigMap: {@code add-headers} and the {@code custom-headers} of owned Ingresses
 * @param certificates the certificates to serve over HTTPS, swapped together with the routes
 * @param annotations what became of the owned Ingresses' annotations, and which Ingresses they
 *     refuse
 * @param gatewayStatus the status of every Gateway API object Portico manages, as the leader writes
 *     it (in a cluster) or would (manifests mode)
 */
public record Translation(
    ControllerConfig config,
    RouteTable routes,
    List<Finding> findings,
    List<ObjectKey> ownedIngresses,
    Set<ObjectKey> referencedServices,
    Set<ObjectKey> referencedSecrets,
    Set<ObjectKey> referencedConfigMaps,
    ServedCertificates certificates,
    IngressAnnotations annotations,
    GatewayApiStatus gatewayStatus) {

  public Translation {
    requireNonNull(config, "config");
    requireNonNull(routes, "routes");
    findings = List.copyOf(findings);
    ownedIngresses = List.copyOf(ownedIngresses);
    referencedServices = Set.copyOf(referencedServices);
    referencedSecrets = Set.copyOf(referencedSecrets);
    referencedConfigMaps = Set.copyOf(referencedConfigMaps);
    requireNonNull(certificates, "certificates");
    requireNonNull(gatewayStatus, "gatewayStatus");
    requireNonNull(annotations, "annotations");
  }

  /** The owned Ingresses that are served: all but the refused ones, oldest first. */
  public List<ObjectKey> servedIngresses() {
    if (annotations.refused().isEmpty()) {
      return ownedIngresses;
    }
    return ownedIngresses.stream().filter(k -> !annotations.refused().containsKey(k)).toList();
  }

  /** The number of warnings. */
  public long warningCount() {
    return findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
  }

  /** The number of distinct endpoints the table routes to. */
  public long endpointCount() {
    return routes.endpointCount();
  }

  /**
   * The table's dump, the certificates' dump, then one line per finding: what fixture tests
   * compare.
   */
  public String dump() {
    StringBuilder out = new StringBuilder(routes.dump()).append(certificates.dump());
    for (Finding finding : findings) {
      out.append(finding).append('\n');
    }
    return out.toString();
  }
}
