package io.portico.router.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Copies end-to-end headers between the client and the backend. Hop-by-hop headers (RFC 9110,
 * section 7.6.1) describe one connection and never cross the proxy: the standard ones, {@code
 * Proxy-Connection}, HTTP/2's {@code HTTP2-Settings}, and every header named in {@code Connection}.
 *
 * <p>This runs twice per request, so it avoids work the common case does not need: header maps that
 * are Netty {@link HttpHeaders} underneath (see {@link VertxInternals#nettyHeaders}) are read as
 * character sequences without converting names and values to strings, and a {@code Connection}
 * header that names only headers that are hop-by-hop anyway ({@code keep-alive}, {@code upgrade},
 * ...) adds no per-header check. Reading that header still makes its values strings (about 2% of
 * the bytes a plain request allocates).
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
    List<String> listed =
        from.contains(HttpHeaderNames.CONNECTION) ? namesListedInConnection(from) : null;
    HttpHeaders netty = VertxInternals.nettyHeaders(from);
    if (netty != null) {
      Iterator<Map.Entry<CharSequence, CharSequence>> entries = netty.iteratorCharSequence();
      while (entries.hasNext()) {
        Map.Entry<CharSequence, CharSequence> header = entries.next();
        CharSequence name = header.getKey();
        if (!skipped(name, request, listed)) {
          to.add(name, header.getValue());
        }
      }
      return;
    }
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey();
      if (!skipped(name, request, listed)) {
        to.add(name, header.getValue());
      }
    }
  }

  private static boolean skipped(
      CharSequence name, boolean request, @Nullable List<String> listed) {
    return name.length() == 0
        || isHopByHop(name)
        || name.charAt(0) == ':'
        || (request && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST))
        || (listed != null && isListed(name, listed));
  }

  private static boolean isListed(CharSequence name, List<String> listed) {
    for (int i = 0; i < listed.size(); i++) {
      if (AsciiString.contentEqualsIgnoreCase(name, listed.get(i))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a header is hop-by-hop by definition. */
  static boolean isHopByHop(CharSequence name) {
    return switch (name.length()) {
      case 2 -> is(name, "te");
      case 7 -> is(name, "upgrade") || is(name, "trailer");
      case 10 -> is(name, "connection") || is(name, "keep-alive");
      case 13 -> is(name, "http2-settings");
      case 16 -> is(name, "proxy-connection");
      case 17 -> is(name, "transfer-encoding");
      case 18 -> is(name, "proxy-authenticate");
      case 19 -> is(name, "proxy-authorization");
      default -> false;
    };
  }

  private static boolean is(CharSequence name, String lowerCase) {
    return AsciiString.contentEqualsIgnoreCase(name, lowerCase);
  }

  /**
   * The names listed in the {@code Connection} headers that are not hop-by-hop by definition
   * already, lower-cased; {@code null} when there are none (the common {@code keep-alive}).
   */
  private static @Nullable List<String> namesListedInConnection(MultiMap headers) {
    List<String> names = null;
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      int start = 0;
      while (start <= value.length()) {
        int comma = value.indexOf(',', start);
        int end = comma < 0 ? value.length() : comma;
        String token = value.substring(start, end).trim();
        if (!token.isEmpty() && !isHopByHop(token)) {
          if (names == null) {
            names = new ArrayList<>(2);
          }
          names.add(token.toLowerCase(Locale.ROOT));
        }
        start = end + 1;
      }
    }
    return names;
  }

  /** Whether the request asks to switch to the WebSocket protocol. */
  static boolean isWebSocketUpgrade(MultiMap headers) {
    String upgrade = headers.get(HttpHeaderNames.UPGRADE);
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
