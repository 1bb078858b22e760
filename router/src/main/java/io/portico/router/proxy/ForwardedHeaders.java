package io.portico.router.proxy;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import org.jspecify.annotations.Nullable;

/**
 * Tells the backend who the client is and how it reached Portico: {@code X-Forwarded-For} (appended
 * to, so proxies in front of Portico stay visible), {@code X-Real-IP}, {@code X-Forwarded-Proto},
 * {@code -Host} and {@code -Port} (set by Portico, replacing what the client sent, because Portico
 * is the edge that saw the connection).
 */
final class ForwardedHeaders {

  // Names with their hash computed once: every request sets all of them.
  private static final AsciiString FOR = AsciiString.cached("x-forwarded-for");
  private static final AsciiString REAL_IP = AsciiString.cached("x-real-ip");
  private static final AsciiString PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString HOST = AsciiString.cached("x-forwarded-host");
  private static final AsciiString PORT = AsciiString.cached("x-forwarded-port");
  private static final AsciiString HTTPS = AsciiString.cached("https");
  private static final AsciiString HTTP = AsciiString.cached("http");
  private static final AsciiString PORT_443 = AsciiString.cached("443");
  private static final AsciiString PORT_80 = AsciiString.cached("80");

  private ForwardedHeaders() {}

  /**
   * Sets the forwarded headers of the request to the backend.
   *
   * @param client the client's IP address as text, or {@code null} when unknown
   */
  static void apply(
      HttpServerRequest request, @Nullable String client, MultiMap headers, boolean tls) {
    if (client != null) {
      String prior = headers.get(FOR);
      headers.set(FOR, prior == null ? client : prior + ", " + client);
      headers.set(REAL_IP, client);
    }
    headers.set(PROTO, tls ? HTTPS : HTTP);
    HostAndPort authority = request.authority();
    if (authority != null) {
      headers.set(HOST, authorityText(authority));
    } else {
      headers.remove(HOST);
    }
    if (authority != null && authority.port() > 0) {
      headers.set(PORT, Integer.toString(authority.port()));
    } else {
      headers.set(PORT, tls ? PORT_443 : PORT_80);
    }
  }

  private static String authorityText(HostAndPort authority) {
    return authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host();
  }
}
