package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

/**
 * Sends a copy of each request of its route to the route's mirror ({@code mirror-target}), whose
 * answer is discarded. The copy never delays or fails the client's request: the proxy sends it on
 * the side, once it has the request's body (or at once when it copies none), and gives it up when
 * the body is too large to hold or too many copies are in flight. Runs last, with the backend
 * choice, so only requests that go upstream are copied.
 *
 * @param path the path of the copy; with {@code withRequestUri}, the client's path and query follow
 *     it (possibly empty then), else the client's query does
 * @param withRequestUri whether the target ends in {@code $request_uri}: the copy's path is {@code
 *     path} followed by the path and query the client sent
 * @param host the {@code Host} of the copy ({@code mirror-host}, or the target's host)
 * @param body whether the copy carries the request's body ({@code mirror-request-body})
 */
public record MirrorPolicy(String path, boolean withRequestUri, String host, boolean body)
    implements RequestPolicy {

  public MirrorPolicy {
    requireNonNull(path, "path");
    requireNonNull(host, "host");
    if (!(path.isEmpty() && withRequestUri) && !path.startsWith("/")) {
      throw new IllegalArgumentException("path: " + path + " (expected: to start with /)");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= ' ' || c == 0x7f || c == '?' || c == '#') {
        throw new IllegalArgumentException(
            "path: " + path + " (expected: no space, control character, ? or #)");
      }
    }
    HeaderEdits.checkValue("host", host);
    if (host.isEmpty() || host.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("host: " + host + " (expected: a host name)");
    }
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.BACKEND_CHOICE;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    exchange.mirror(this);
    exchange.proceed();
  }

  /**
   * The path and query of the copy of a request.
   *
   * @param requestUri the path and query the client sent, in origin form
   * @param query the client's query without {@code ?}, or {@code null}
   */
  public String uri(String requestUri, String query) {
    if (withRequestUri) {
      return path.endsWith("/") && requestUri.startsWith("/")
          ? path + requestUri.substring(1)
          : path + requestUri;
    }
    return query == null ? path : path + "?" + query;
  }
}
