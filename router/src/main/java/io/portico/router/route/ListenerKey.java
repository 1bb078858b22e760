package io.portico.router.route;

import static java.util.Objects.requireNonNull;

/**
 * One of Portico's listeners, as routes for the Gateway API name them: the HTTP listener ({@code
 * --http-port}), the HTTPS listener ({@code --https-port}), or a port opened for Gateway listeners
 * ({@code --gateway-listener-ports}), which speaks the protocol of the Gateway listeners mapped to
 * it. Ingress rules are served on the first two.
 *
 * @param kind which listener
 * @param port the local port of an opened listener as configured (0: a free one); 0 for the others
 */
public record ListenerKey(Kind kind, int port) implements Comparable<ListenerKey> {

  /** The three kinds of listener, in display order. */
  public enum Kind {
    HTTP,
    HTTPS,
    OPENED
  }

  /** Portico's HTTP listener. */
  public static final ListenerKey HTTP = new ListenerKey(Kind.HTTP, 0);

  /** Portico's HTTPS listener. */
  public static final ListenerKey HTTPS = new ListenerKey(Kind.HTTPS, 0);

  public ListenerKey {
    requireNonNull(kind, "kind");
    if (port < 0 || port > 65_535 || (kind != Kind.OPENED && port != 0)) {
      throw new IllegalArgumentException(
          "port: " + port + " (expected: 0 to 65535 for an opened listener, else 0)");
    }
  }

  /** A listener opened on {@code port} for Gateway listeners. */
  public static ListenerKey opened(int port) {
    return new ListenerKey(Kind.OPENED, port);
  }

  /** Whether Ingress rules are served here too: Portico's own HTTP and HTTPS listeners. */
  public boolean servesIngress() {
    return kind != Kind.OPENED;
  }

  @Override
  public int compareTo(ListenerKey other) {
    int byKind = kind.compareTo(other.kind);
    return byKind != 0 ? byKind : Integer.compare(port, other.port);
  }

  /** {@code http}, {@code https} or {@code port 8081}. */
  @Override
  public String toString() {
    return switch (kind) {
      case HTTP -> "http";
      case HTTPS -> "https";
      case OPENED -> "port " + port;
    };
  }
}
