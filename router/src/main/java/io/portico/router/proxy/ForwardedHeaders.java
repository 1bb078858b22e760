package io.portico.router.proxy;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Tells the backend who the client is and how it reached Portico. Portico is the edge that saw the
 * connection, so what it sets replaces what the client sent: {@code X-Forwarded-For} and {@code
 * X-Real-IP} are the TCP peer's address alone (as ingress-nginx sends them by default), and the
 * client's own {@code X-Forwarded-For}, which anyone can write, travels as {@code
 * X-Original-Forwarded-For}; {@code X-Forwarded-Proto}, {@code -Host} and {@code -Port} say how the
 * request reached Portico.
 *
 * <p>These are set after the client's headers are copied, so a {@code Connection} header naming one
 * of them removes only the client's copy, never Portico's.
 */
final class ForwardedHeaders {

  // Names with their hash computed once: every request sets all of them.
  private static final AsciiString FOR = AsciiString.cached("x-forwarded-for");
  private static final AsciiString ORIGINAL_FOR = AsciiString.cached("x-original-forwarded-for");
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
   * @param authority the authority the request is for (see {@link RequestChecks#authority}), or
   *     {@code null}
   * @param client the client's IP address as text, or {@code null} when unknown
   */
  static void apply(
      HttpServerRequest request,
      @Nullable HostAndPort authority,
      @Nullable String client,
      MultiMap headers,
      boolean tls) {
    if (client != null) {
      headers.set(FOR, client);
      headers.set(REAL_IP, client);
    } else {
      headers.remove(FOR);
      headers.remove(REAL_IP);
    }
    String claimed = claimedForwardedFor(request.headers());
    if (claimed != null) {
      headers.set(ORIGINAL_FOR, claimed);
    } else {
      headers.remove(ORIGINAL_FOR);
    }
    headers.set(PROTO, tls ? HTTPS : HTTP);
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

  /** The client's own {@code X-Forwarded-For}, its lines joined as one list, or {@code null}. */
  private static @Nullable String claimedForwardedFor(MultiMap clientHeaders) {
    String first = clientHeaders.get(FOR);
    if (first == null) {
      return null;
    }
    List<String> all = clientHeaders.getAll(FOR);
    return all.size() == 1 ? first : String.join(", ", all);
  }

  private static String authorityText(HostAndPort authority) {
    return authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host();
  }
}
