package io.portico.router.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What every request must be before Portico routes it, beyond what the HTTP codec checks: a method
 * Portico forwards, one valid Host (RFC 9112, section 3.2), and a request-target without raw
 * whitespace or control characters. The path has its own rules ({@link
 * io.portico.router.route.RequestPaths#normalizeRequest}).
 */
final class RequestChecks {

  /** The authority of a request whose Host (or absolute-form target) is not valid. */
  static final HostAndPort INVALID_AUTHORITY = HostAndPort.create("invalid.", 0);

  private RequestChecks() {}

  /**
   * Portico's answer to a method it never forwards, or {@code null}. {@code CONNECT} would turn a
   * pooled backend connection into a raw tunnel; {@code TRACE} would echo the request, credentials
   * and all, back to whoever can make the client send it.
   */
  static @Nullable ProxyFailure refusedMethod(HttpMethod method) {
    return method == HttpMethod.CONNECT || method == HttpMethod.TRACE
        ? ProxyFailure.METHOD_NOT_ALLOWED
        : null;
  }

  /**
   * The authority the request is for: that of an absolute-form target (which wins over {@code
   * Host}, RFC 9112, section 3.2.2), else {@code Host} (HTTP/2: {@code :authority}); {@code null}
   * when there is none, which HTTP/1.0 and HTTP/2 allow; {@link #INVALID_AUTHORITY} when the
   * request has two {@code Host} fields, an HTTP/1.1 request has none, or the one it has is not an
   * authority ({@code evil@a.test}, a port beyond 65535, a space).
   */
  static @Nullable HostAndPort authority(HttpServerRequest request) {
    int hosts = hostFields(request.headers());
    if (hosts > 1) {
      return INVALID_AUTHORITY;
    }
    String uri = request.uri();
    if (!uri.isEmpty() && uri.charAt(0) != '/') {
      return absoluteFormAuthority(uri, request);
    }
    HostAndPort authority = request.authority();
    if (authority != null) {
      return authority;
    }
    if (hosts > 0 || request.version() == HttpVersion.HTTP_1_1) {
      return INVALID_AUTHORITY;
    }
    return null;
  }

  /**
   * How many {@code Host} fields the request has. Counted over the entries of Vert.x's own HTTP/1.x
   * map, which allocates an iterator, where {@code getAll} would build a list on every request.
   */
  private static int hostFields(MultiMap headers) {
    HttpHeaders netty = VertxInternals.nettyHeaders(headers);
    if (netty == null) {
      return headers.getAll(HttpHeaderNames.HOST).size();
    }
    int count = 0;
    Iterator<Map.Entry<CharSequence, CharSequence>> entries = netty.iteratorCharSequence();
    while (entries.hasNext()) {
      CharSequence name = entries.next().getKey();
      if (name.length() == 4 && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST)) {
        count++;
      }
    }
    return count;
  }

  /**
   * Whether the request-target carries a raw space or control character after its path (the path
   * has its own check): such a target cannot be written in a request line to the backend.
   */
  static boolean hasUnsafeQuery(String uri) {
    int query = uri.indexOf('?');
    if (query < 0) {
      return false;
    }
    for (int i = query + 1; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static HostAndPort absoluteFormAuthority(String uri, HttpServerRequest request) {
    int scheme = uri.indexOf("://");
    if (scheme <= 0) {
      // "*" (OPTIONS) or something the codec let through: no authority of its own.
      HostAndPort authority = request.authority();
      return authority != null ? authority : INVALID_AUTHORITY;
    }
    int start = scheme + 3;
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    HostAndPort parsed =
        end == start ? null : HostAndPort.parseAuthority(uri.substring(start, end), -1);
    return parsed == null || parsed.host().isEmpty() ? INVALID_AUTHORITY : parsed;
  }
}
