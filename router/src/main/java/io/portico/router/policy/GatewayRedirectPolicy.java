package io.portico.router.policy;

import org.jspecify.annotations.Nullable;

/**
 * The Gateway API's {@code RequestRedirect}: Portico answers with a redirect. What the filter does
 * not say comes from the request: the scheme of the listener it came through, its host without the
 * port, its path (with the query kept). The port is the filter's, else the standard port of a
 * scheme the filter names, else the port of the Gateway listener the rule is attached to, never the
 * local port Portico serves it on; it is left out when standard for the scheme.
 *
 * @param scheme {@code http} or {@code https}, or {@code null} for the request's
 * @param hostname the host, or {@code null} for the request's
 * @param port the port, or 0 to derive it as described
 * @param path how the path changes, or {@code null} to keep it
 * @param statusCode 301, 302, 303, 307 or 308
 * @param gatewayPort the port of the Gateway listener the rule is attached to
 */
public record GatewayRedirectPolicy(
    @Nullable String scheme,
    @Nullable String hostname,
    int port,
    @Nullable PathRewrite path,
    int statusCode,
    int gatewayPort)
    implements RequestPolicy {

  public GatewayRedirectPolicy {
    if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("scheme: " + scheme + " (expected: http or https)");
    }
    if (statusCode != 301
        && statusCode != 302
        && statusCode != 303
        && statusCode != 307
        && statusCode != 308) {
      throw new IllegalArgumentException(
          "statusCode: " + statusCode + " (expected: 301, 302, 303, 307 or 308)");
    }
    if (port < 0 || port > 65_535 || gatewayPort < 1 || gatewayPort > 65_535) {
      throw new IllegalArgumentException(
          "port: " + port + ", gatewayPort: " + gatewayPort + " (expected: ports)");
    }
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.REDIRECT;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    exchange.answer(PolicyAnswer.redirect(statusCode, location(request)));
  }

  /** The {@code Location} for a request. */
  String location(PolicyRequest request) {
    String toScheme = scheme != null ? scheme : request.tls() ? "https" : "http";
    String toHost = hostname != null ? hostname : request.host();
    if (toHost == null || toHost.isEmpty()) {
      toHost = "localhost";
    }
    int toPort = port != 0 ? port : scheme != null ? standardPort(scheme) : gatewayPort;
    StringBuilder url = new StringBuilder(64).append(toScheme).append("://");
    if (toHost.indexOf(':') >= 0 && toHost.charAt(0) != '[') {
      url.append('[').append(toHost).append(']');
    } else {
      url.append(toHost);
    }
    if (toPort != standardPort(toScheme)) {
      url.append(':').append(toPort);
    }
    String query = request.query();
    if (path != null) {
      url.append(path.apply(request.path()));
      if (query != null) {
        url.append('?').append(query);
      }
    } else {
      url.append(request.pathAndQuery());
    }
    return url.toString();
  }

  private static int standardPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("RequestRedirect(").append(statusCode);
    if (scheme != null) {
      out.append(" scheme ").append(scheme);
    }
    if (hostname != null) {
      out.append(" hostname ").append(hostname);
    }
    if (port != 0) {
      out.append(" port ").append(port);
    }
    if (path != null) {
      out.append(' ').append(path);
    }
    return out.append(')').toString();
  }
}
