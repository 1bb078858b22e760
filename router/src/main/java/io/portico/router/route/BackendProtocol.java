package io.portico.router.route;

/**
 * How Portico speaks to a route's backend: ingress-nginx's {@code backend-protocol} values, less
 * {@code FCGI}, which Portico does not speak.
 */
public enum BackendProtocol {
  /** HTTP/1.1 in clear text (the default). */
  HTTP(false, false),
  /** HTTP/1.1 over TLS. */
  HTTPS(true, false),
  /** gRPC: HTTP/2 in clear text with prior knowledge (h2c). */
  GRPC(false, true),
  /** gRPC over TLS, HTTP/2 negotiated by ALPN. */
  GRPCS(true, true),
  /** As ingress-nginx's {@code AUTO_HTTP}: HTTP/1.1 in clear text, the client's version aside. */
  AUTO_HTTP(false, false);

  private final boolean tls;
  private final boolean http2;

  BackendProtocol(boolean tls, boolean http2) {
    this.tls = tls;
    this.http2 = http2;
  }

  /** Whether connections to the backend use TLS. */
  public boolean tls() {
    return tls;
  }

  /** Whether requests go to the backend over HTTP/2. */
  public boolean http2() {
    return http2;
  }
}
