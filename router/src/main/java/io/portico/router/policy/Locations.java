package io.portico.router.policy;

import java.util.Locale;

/** How redirect policies write the URLs of their {@code Location} headers. */
final class Locations {

  private Locations() {}

  /**
   * Appends {@code scheme://host} for the request, as nginx makes a relative redirect absolute: the
   * scheme of the connection, the host the client named (lower-cased, without its port); appends
   * nothing when the request names no host, so the redirect stays relative.
   */
  static StringBuilder appendOrigin(StringBuilder url, PolicyRequest request) {
    String host = request.host();
    if (host == null || host.isEmpty()) {
      return url;
    }
    url.append(request.tls() ? "https://" : "http://");
    return appendHost(url, host.toLowerCase(Locale.ROOT));
  }

  /** Appends a host, with brackets around an IPv6 address. */
  static StringBuilder appendHost(StringBuilder url, String host) {
    if (host.indexOf(':') >= 0 && host.charAt(0) != '[') {
      return url.append('[').append(host).append(']');
    }
    return url.append(host);
  }

  /** Appends {@code ?query} when the request has a query. */
  static StringBuilder appendQuery(StringBuilder url, PolicyRequest request) {
    String query = request.query();
    return query == null ? url : url.append('?').append(query);
  }
}
