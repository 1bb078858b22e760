package io.portico.controller.gateway.conformance;

import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * The ported conformance tests with Portico against the mock API server, status as the leader wrote
 * it.
 */
class ClusterModeConformanceTest extends ExtendedConformance {

  @Override
  Environment environment(Vertx vertx, Path folder, Backends backends, GatewayPorts ports)
      throws Exception {
    return new ClusterEnvironment(backends, ports);
  }
}
