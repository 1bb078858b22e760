package io.portico.controller.gateway;

import org.jspecify.annotations.Nullable;

/**
 * Where Portico serves a Gateway listener port: one of its own two listeners ({@code --http-port},
 * {@code --https-port}), whose protocol is fixed, or a port Portico opens for the Gateway listeners
 * mapped to it, which speaks their protocol.
 */
public sealed interface LocalPort {

  /** Portico's HTTP listener ({@code --http-port}). */
  record HttpListener() implements LocalPort {
    @Override
    public String toString() {
      return "the HTTP listener";
    }
  }

  /** Portico's HTTPS listener ({@code --https-port}). */
  record HttpsListener() implements LocalPort {
    @Override
    public String toString() {
      return "the HTTPS listener";
    }
  }

  /** A port Portico opens for the Gateway listeners mapped to it. */
  record Opened(int port) implements LocalPort {

    public Opened {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("local port: " + port + " (expected: 0 to 65535)");
      }
    }

    @Override
    public String toString() {
      return "local port " + port;
    }
  }

  LocalPort HTTP = new HttpListener();
  LocalPort HTTPS = new HttpsListener();

  /** The protocol this local listener must speak, when fixed; {@code null} for an opened port. */
  default @Nullable String fixedProtocol() {
    if (this instanceof HttpListener) {
      return GatewayApi.HTTP;
    }
    return this instanceof HttpsListener ? GatewayApi.HTTPS : null;
  }
}
