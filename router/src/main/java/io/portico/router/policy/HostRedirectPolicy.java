package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * ingress-nginx's {@code from-to-www-redirect}: every request to the other name of a host ({@code
 * www.example.com} for {@code example.com}, or the reverse) gets a redirect to the host itself,
 * with the request's scheme, path and query, less one trailing {@code /} of the whole path and
 * query ({@code /} becomes nothing), as ingress-nginx's redirect server does. The port is the one
 * the client used, and is left out when it is the default of the scheme.
 *
 * @param host the host to send clients to
 * @param status the redirect status: ingress-nginx's {@code http-redirect-code}, 308 by default
 */
public record HostRedirectPolicy(String host, int status) implements RequestPolicy {

  /** The status unless the controller configuration says otherwise. */
  public static final int DEFAULT_STATUS = 308;

  public HostRedirectPolicy {
    requireNonNull(host, "host");
    if (status != 301 && status != 302 && status != 307 && status != 308) {
      throw new IllegalArgumentException("status: " + status + " (expected: 301, 302, 307 or 308)");
    }
    if (!PolicyChain.isAuthority(host) || host.indexOf(':') >= 0 && host.charAt(0) != '[') {
      throw new IllegalArgumentException("host: " + host + " (expected: a host name)");
    }
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.REDIRECT;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    boolean tls = request.tls();
    StringBuilder url = new StringBuilder(64).append(tls ? "https://" : "http://");
    Locations.appendHost(url, host);
    int port = port(request.authority());
    if (port > 0 && port != (tls ? 443 : 80)) {
      url.append(':').append(port);
    }
    String pathAndQuery = request.pathAndQuery();
    if (pathAndQuery.endsWith("/")) {
      pathAndQuery = pathAndQuery.substring(0, pathAndQuery.length() - 1);
    }
    exchange.answer(PolicyAnswer.redirect(status, url.append(pathAndQuery).toString()));
  }

  /** The port of an authority, or -1 when it names none. */
  private static int port(@Nullable String authority) {
    if (authority == null) {
      return -1;
    }
    int colon = authority.lastIndexOf(':');
    if (colon < 0 || authority.lastIndexOf(']') > colon) {
      return -1;
    }
    try {
      return Integer.parseInt(authority.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String label() {
    return "redirect " + status + " to host " + host;
  }
}
