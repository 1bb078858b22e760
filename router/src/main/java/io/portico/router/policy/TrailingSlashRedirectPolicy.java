package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

/**
 * A request for a path that a rule names only with a trailing slash ({@code /foo} when the rule is
 * {@code /foo/}) gets a 301 to the slashed path, as nginx answers for a location that ends with a
 * slash: the query is kept, and the {@code Location} is absolute, with the request's scheme and
 * host and no port (ingress-nginx turns {@code port_in_redirect} off).
 *
 * <p>The route table makes these (see {@code RoutePrecedence}); a translation never does.
 *
 * @param path the rule's path, with its trailing slash
 */
public record TrailingSlashRedirectPolicy(String path) implements RequestPolicy {

  public TrailingSlashRedirectPolicy {
    requireNonNull(path, "path");
    if (!path.startsWith("/") || !path.endsWith("/")) {
      throw new IllegalArgumentException("path: " + path + " (expected: /.../)");
    }
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.REDIRECT;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    StringBuilder url = Locations.appendOrigin(new StringBuilder(64), request).append(path);
    exchange.answer(PolicyAnswer.redirect(301, Locations.appendQuery(url, request).toString()));
  }
}
