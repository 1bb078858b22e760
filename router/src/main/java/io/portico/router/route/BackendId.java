package io.portico.router.route;

import static java.util.Objects.requireNonNull;

/**
 * A Service port as an Ingress names it: namespace, Service name, and the port as written (a number
 * or a port name).
 */
public record BackendId(String namespace, String service, String port)
    implements Comparable<BackendId> {

  public BackendId {
    requireNonNull(namespace, "namespace");
    requireNonNull(service, "service");
    requireNonNull(port, "port");
  }

  @Override
  public int compareTo(BackendId other) {
    return toString().compareTo(other.toString());
  }

  /** {@code namespace/service:port}. */
  @Override
  public String toString() {
    return namespace + "/" + service + ":" + port;
  }
}
