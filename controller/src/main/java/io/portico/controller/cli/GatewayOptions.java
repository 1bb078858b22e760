package io.portico.controller.cli;

import io.portico.controller.gateway.GatewayApi;
import io.portico.controller.gateway.GatewaySettings;
import io.portico.controller.gateway.GatewayView;
import io.portico.controller.gateway.ListenerPorts;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags of the Gateway API: whether Portico serves it, and where its listeners' ports go. */
final class GatewayOptions {

  @Option(
      names = "--gateway-api",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "true",
      description =
          "Serve GatewayClasses of controller "
              + GatewayApi.CONTROLLER_NAME
              + " with their Gateways and routes, where the Gateway API CRDs are installed"
              + " (default: ${DEFAULT-VALUE}).")
  boolean gatewayApi;

  @Option(
      names = "--gateway-listener-ports",
      paramLabel = "[NAMESPACE/NAME:]PORT=LOCAL",
      split = ",",
      description =
          "Which local port serves a Gateway listener port, besides 80=the HTTP listener and"
              + " 443=the HTTPS listener: PORT=LOCAL opens LOCAL (speaking the listeners'"
              + " protocol) for that port of every Gateway, or replaces a default;"
              + " NAMESPACE/NAME:PORT=LOCAL gives one Gateway's port a socket of its own."
              + " Repeatable.")
  List<String> listenerPorts = new ArrayList<>();

  /**
   * The Gateway API settings these flags give.
   *
   * @param statusAddresses {@code --publish-status-address}: the addresses Gateways are given; none
   *     means 127.0.0.1 (what manifests mode reports; in a cluster the published addresses are
   *     written)
   * @throws IllegalArgumentException naming a {@code --gateway-listener-ports} entry that is not of
   *     the form above
   */
  GatewaySettings settings(List<String> statusAddresses) {
    GatewaySettings defaults = GatewaySettings.defaults();
    List<GatewayView.Address> addresses =
        statusAddresses.isEmpty()
            ? defaults.addresses()
            : statusAddresses.stream().map(GatewayOptions::address).toList();
    return new GatewaySettings(
        gatewayApi,
        defaults.controllerName(),
        ListenerPorts.parse(listenerPorts),
        addresses,
        defaults.supportedFeatures(),
        defaults.crdBundleVersions());
  }

  private static GatewayView.Address address(String value) {
    boolean ip =
        value.chars().allMatch(c -> Character.isDigit(c) || c == '.') || value.indexOf(':') >= 0;
    return new GatewayView.Address(ip ? "IPAddress" : "Hostname", value);
  }
}
