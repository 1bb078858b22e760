package io.portico.router.proxy;

import io.netty.util.AsciiString;
import io.portico.router.address.ClientAddress;
import io.portico.router.address.ClientAddressRules;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Tells the backend who the client is and how it reached Portico. By default Portico is the edge
 * that saw the connection, so what it sets replaces what the client sent: {@code X-Forwarded-For}
 * and {@code X-Real-IP} are the client's address alone (the TCP peer, as ingress-nginx sends them
 * by default), and the client's own {@code X-Forwarded-For}, which anyone can write, travels as
 * {@code X-Original-Forwarded-For}; {@code X-Forwarded-Proto}, {@code -Host} and {@code -Port} say
 * how the request reached Portico.
 *
 * <p>Behind a trusted proxy (see {@link ClientAddressRules}), the client is the address that proxy
 * forwarded; with {@code compute-full-forwarded-for}, {@code X-Forwarded-For} is the proxy's list
 * with the proxy appended, as nginx's {@code $proxy_add_x_forwarded_for}; with {@code
 * use-forwarded-headers}, the proxy's {@code X-Forwarded-Proto}, {@code -Host} and {@code -Port}
 * are passed on instead of Portico's own. An untrusted peer's headers never count.
 *
 * <p>These are set after the client's headers are copied, so a {@code Connection} header naming one
 * of them removes only the client's copy, never Portico's.
 */
final class ForwardedHeaders {

  // Names with their hash computed once: every request sets all of them.
  private static final AsciiString FOR = AsciiString.cached("x-forwarded-for");
  private static final AsciiString ORIGINAL_FOR = AsciiString.cached("x-original-forwarded-for");
  private static final AsciiString REAL_IP = AsciiString.cached("x-real-ip");
  static final AsciiString PROTO = AsciiString.cached("x-forwarded-proto");
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
   * @param client the client as Portico decided it for this request
   * @param peer the TCP peer's address as text (or the PROXY protocol source), or {@code null}
   */
  static void apply(
      HttpServerRequest request,
      @Nullable HostAndPort authority,
      ClientAddress client,
      @Nullable String peer,
      ClientAddressRules rules,
      MultiMap headers,
      boolean tls) {
    MultiMap received = request.headers();
    String claimed = claimedForwardedFor(received);
    String text = client.text();
    if (text == null) {
      headers.remove(FOR);
      headers.remove(REAL_IP);
    } else {
      if (client.viaTrustedProxy() && rules.computeFullForwardedFor() && peer != null) {
        headers.set(FOR, claimed == null ? peer : claimed + ", " + peer);
      } else {
        headers.set(FOR, text);
      }
      headers.set(REAL_IP, text);
    }
    if (claimed != null) {
      headers.set(ORIGINAL_FOR, claimed);
    } else {
      headers.remove(ORIGINAL_FOR);
    }
    boolean forwardedRequest = client.viaTrustedProxy() && rules.trustsForwardedRequest();
    String proto = forwardedRequest ? received.get(PROTO) : null;
    if (proto != null) {
      headers.set(PROTO, proto);
    } else {
      headers.set(PROTO, tls ? HTTPS : HTTP);
    }
    // As ingress-nginx: the first element of a trusted X-Forwarded-Host.
    String host = forwardedRequest ? firstElement(received.get(HOST)) : null;
    if (host != null) {
      headers.set(HOST, host);
    } else if (authority != null) {
      headers.set(HOST, authorityText(authority));
    } else {
      headers.remove(HOST);
    }
    String port = forwardedRequest ? received.get(PORT) : null;
    if (port != null) {
      headers.set(PORT, port);
    } else if (authority != null && authority.port() > 0) {
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

  private static @Nullable String firstElement(@Nullable String list) {
    if (list == null) {
      return null;
    }
    int comma = list.indexOf(',');
    String first = (comma < 0 ? list : list.substring(0, comma)).strip();
    return first.isEmpty() ? null : first;
  }

  private static String authorityText(HostAndPort authority) {
    return authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host();
  }
}
