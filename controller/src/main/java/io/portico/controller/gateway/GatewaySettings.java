package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * The controller settings the Gateway API logic depends on.
 *
 * @param enabled {@code --gateway-api}: whether Portico serves the Gateway API at all
 * @param controllerName the GatewayClass controller name Portico answers to
 * @param ports {@code --gateway-listener-ports}
 * @param addresses the addresses every Gateway gets in status ({@code --publish-status-address},
 *     else 127.0.0.1 in manifests mode)
 * @param supportedFeatures the feature names published on GatewayClasses
 * @param crdBundleVersions the {@code gateway.networking.k8s.io/bundle-version} of each Gateway API
 *     CRD by name ({@code ""} when the annotation is missing); empty when unknown, as in manifests
 *     mode
 */
public record GatewaySettings(
    boolean enabled,
    String controllerName,
    ListenerPorts ports,
    List<GatewayView.Address> addresses,
    List<String> supportedFeatures,
    Map<String, String> crdBundleVersions) {

  public GatewaySettings {
    requireNonNull(controllerName, "controllerName");
    requireNonNull(ports, "ports");
    addresses = List.copyOf(addresses);
    supportedFeatures = supportedFeatures.stream().sorted().toList();
    crdBundleVersions = Map.copyOf(crdBundleVersions);
  }

  /** These settings with the bundle versions of the CRDs found. */
  public GatewaySettings withCrdBundleVersions(Map<String, String> versions) {
    return new GatewaySettings(
        enabled, controllerName, ports, addresses, supportedFeatures, versions);
  }

  /**
   * Served, with Portico's controller name, the default ports, address 127.0.0.1, no features
   * claimed.
   */
  public static GatewaySettings defaults() {
    return new GatewaySettings(
        true,
        GatewayApi.CONTROLLER_NAME,
        ListenerPorts.DEFAULTS,
        List.of(new GatewayView.Address("IPAddress", "127.0.0.1")),
        List.of(),
        Map.of());
  }
}
