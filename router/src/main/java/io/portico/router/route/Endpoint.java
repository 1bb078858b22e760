package io.portico.router.route;

import static java.util.Objects.requireNonNull;

/**
 * One address a backend can be reached at: an IP address or, for ExternalName Services, a DNS name,
 * and a port.
 *
 * @param host IP address or DNS name
 * @param port TCP port
 * @param identity a stable name for the endpoint that outlives configuration generations (a Pod
 *     UID, or the address when nothing better is known); session affinity hashes it, and it never
 *     appears in responses
 * @param external whether the address comes from outside the cluster's endpoint lists (an
 *     ExternalName Service, which any tenant who can write a Service chooses): the proxy resolves
 *     it when it connects and refuses addresses only its own position could reach
 */
public record Endpoint(String host, int port, String identity, boolean external)
    implements Comparable<Endpoint> {

  public Endpoint {
    requireNonNull(host, "host");
    requireNonNull(identity, "identity");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
  }

  /** An endpoint of the cluster's endpoint lists (EndpointSlices, Endpoints). */
  public Endpoint(String host, int port, String identity) {
    this(host, port, identity, false);
  }

  /** An endpoint whose identity is its address. */
  public static Endpoint of(String host, int port) {
    return new Endpoint(host, port, host + ":" + port);
  }

  /** The endpoint of an ExternalName Service: a name (or address) checked when connecting. */
  public static Endpoint externalName(String host, int port) {
    return new Endpoint(host, port, host + ":" + port, true);
  }

  /** {@code host:port}, with brackets around IPv6 addresses. */
  public String address() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  @Override
  public int compareTo(Endpoint other) {
    int byHost = host.compareTo(other.host);
    return byHost != 0 ? byHost : Integer.compare(port, other.port);
  }

  @Override
  public String toString() {
    return address();
  }
}
