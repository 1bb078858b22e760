package io.portico.controller.gateway.conformance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local port for each Gateway listener port the tests use ({@code --gateway-listener-ports
 * NAMESPACE/NAME:PORT=LOCAL}), so that every Gateway has a socket of its own, as it would have an
 * address of its own in a cluster: the base Gateways {@code same-namespace} and {@code
 * all-namespaces} both have an HTTP listener on port 80 without a hostname, with different routes.
 */
final class GatewayPorts {

  /** Every Gateway (in the infra namespace) and port a test sends traffic to. */
  private static final List<String> GATEWAYS =
      List.of(
          "same-namespace:80",
          "all-namespaces:80",
          "backend-namespaces:80",
          "same-namespace-with-https-listener:443",
          "httproute-hostname-intersection:80",
          "httproute-hostname-intersection-all:80",
          "httproute-listener-hostname-matching:80",
          "gateway-add-listener:80",
          "gateway-add-listener:443",
          "gateway-remove-listener:80",
          "gateway-remove-listener:443");

  private final Map<String, Integer> ports = new LinkedHashMap<>();

  GatewayPorts() throws IOException {
    for (String gateway : GATEWAYS) {
      ports.put(Backends.INFRA + "/" + gateway, free());
    }
  }

  private static int free() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** The entries of {@code --gateway-listener-ports}. */
  List<String> entries() {
    List<String> entries = new ArrayList<>();
    ports.forEach((gateway, local) -> entries.add(gateway + "=" + local));
    return entries;
  }

  int port(String namespace, String gateway, int gatewayPort) {
    Integer port = ports.get(namespace + "/" + gateway + ":" + gatewayPort);
    if (port == null) {
      throw new IllegalArgumentException(
          "gateway: "
              + namespace
              + "/"
              + gateway
              + ":"
              + gatewayPort
              + " (expected: one of "
              + ports.keySet()
              + ")");
    }
    return port;
  }
}
