package io.portico.router.proxy;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Copies end-to-end headers between the client and the backend. Hop-by-hop headers (RFC 9110,
 * section 7.6.1) describe one connection and never cross the proxy: the standard ones, {@code
 * Proxy-Connection}, HTTP/2's {@code HTTP2-Settings}, and every header named in {@code Connection}.
 */
final class HopByHopHeaders {

  private HopByHopHeaders() {}

  /** Copies every end-to-end header of {@code from} into {@code to}; {@code Host} is left out. */
  static void copyRequestHeaders(MultiMap from, MultiMap to) {
    copy(from, to, true);
  }

  /** Copies every end-to-end header of a backend response into the client response. */
  static void copyResponseHeaders(MultiMap from, MultiMap to) {
    copy(from, to, false);
  }

  private static void copy(MultiMap from, MultiMap to, boolean request) {
    Set<String> listed = from.contains("connection") ? namesListedInConnection(from) : Set.of();
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey();
      if (isHopByHop(name)
          || name.charAt(0) == ':'
          || (request && name.equalsIgnoreCase("host"))
          || (!listed.isEmpty() && listed.contains(name.toLowerCase(Locale.ROOT)))) {
        continue;
      }
      to.add(name, header.getValue());
    }
  }

  /** Whether a header is hop-by-hop by definition. */
  static boolean isHopByHop(String name) {
    return switch (name.length()) {
      case 2 -> name.equalsIgnoreCase("te");
      case 7 -> name.equalsIgnoreCase("upgrade") || name.equalsIgnoreCase("trailer");
      case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
      case 13 -> name.equalsIgnoreCase("http2-settings");
      case 16 -> name.equalsIgnoreCase("proxy-connection");
      case 17 -> name.equalsIgnoreCase("transfer-encoding");
      case 18 -> name.equalsIgnoreCase("proxy-authenticate");
      case 19 -> name.equalsIgnoreCase("proxy-authorization");
      default -> false;
    };
  }

  private static Set<String> namesListedInConnection(MultiMap headers) {
    Set<String> names = new HashSet<>();
    for (String value : headers.getAll("connection")) {
      for (String token : value.split(",")) {
        names.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  /** Whether the request asks to switch to the WebSocket protocol. */
  static boolean isWebSocketUpgrade(MultiMap headers) {
    String upgrade = headers.get("upgrade");
    if (upgrade == null || !upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
      return false;
    }
    for (String value : headers.getAll("connection")) {
      if (value.toLowerCase(Locale.ROOT).contains("upgrade")) {
        return true;
      }
    }
    return false;
  }
}
