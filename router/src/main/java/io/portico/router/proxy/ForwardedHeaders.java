package io.portico.router.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

/**
 * Tells the backend who the client is and how it reached Portico: {@code X-Forwarded-For} (appended
 * to, so proxies in front of Portico stay visible), {@code X-Real-IP}, {@code X-Forwarded-Proto},
 * {@code -Host} and {@code -Port} (set by Portico, replacing what the client sent, because Portico
 * is the edge that saw the connection).
 */
final class ForwardedHeaders {

  private ForwardedHeaders() {}

  static void apply(HttpServerRequest request, MultiMap headers, boolean tls) {
    SocketAddress remote = request.remoteAddress();
    String client = remote == null ? null : remote.hostAddress();
    if (client != null) {
      String prior = headers.get("x-forwarded-for");
      headers.set("x-forwarded-for", prior == null ? client : prior + ", " + client);
      headers.set("x-real-ip", client);
    }
    headers.set("x-forwarded-proto", tls ? "https" : "http");
    HostAndPort authority = request.authority();
    if (authority != null) {
      headers.set("x-forwarded-host", authorityText(authority));
    } else {
      headers.remove("x-forwarded-host");
    }
    int port = authority != null && authority.port() > 0 ? authority.port() : (tls ? 443 : 80);
    headers.set("x-forwarded-port", Integer.toString(port));
  }

  private static String authorityText(HostAndPort authority) {
    return authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host();
  }
}
