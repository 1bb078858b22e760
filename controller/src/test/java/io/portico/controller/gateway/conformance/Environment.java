package io.portico.controller.gateway.conformance;

import io.vertx.core.json.JsonObject;

/**
 * Where the ported conformance tests run: Portico fed from a folder of manifests, or from the mock
 * API server with the Gateway API CRDs registered. The tests are the same; only how objects get in
 * and how their status is read differ.
 */
interface Environment extends AutoCloseable {

  /** Creates, or replaces, the objects of {@code yaml}, remembered under {@code name}. */
  void apply(String name, String yaml) throws Exception;

  /** Deletes the objects last applied under {@code name}. */
  void delete(String name) throws Exception;

  /**
   * An object as its status reader sees it: {@code metadata.generation} and {@code status}; {@code
   * null} when there is none (or, in manifests mode, when Portico reports no status for it).
   *
   * @param namespace {@code null} for a cluster-scoped kind
   */
  JsonObject object(String kind, String namespace, String name) throws Exception;

  /** The local port serving a Gateway's listener port. */
  int port(String namespace, String gateway, int gatewayPort);

  /** {@code manifests} or {@code cluster}. */
  String mode();

  @Override
  void close();
}
