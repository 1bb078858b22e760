package io.portico.controller.gateway.conformance;

import io.vertx.core.Vertx;
import java.nio.file.Path;

/** The ported conformance tests with Portico serving a folder of manifests, status from /status. */
class ManifestsModeConformanceTest extends ExtendedConformance {

  @Override
  Environment environment(Vertx vertx, Path folder, Backends backends, GatewayPorts ports)
      throws Exception {
    return new ManifestsEnvironment(vertx, folder, backends, ports);
  }
}
