package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

/**
 * ingress-nginx's {@code app-root}: a request for {@code /} gets a 302 to the application's root,
 * {@code <scheme>://<Host as sent, port included><app-root>}, without the query, as nginx's {@code
 * return 302 $scheme://$http_host<app-root>}. Every other path goes on.
 *
 * <p>It applies to the whole host whichever Ingress of the host asks for it: the translator gives
 * the host an {@code Exact /} rule with only this policy, which no other rule of the host can take
 * over, regex rules included.
 *
 * @param path the application's root, a path starting with {@code /}
 */
public record AppRootPolicy(String path) implements RequestPolicy {

  public AppRootPolicy {
    requireNonNull(path, "path");
    if (!path.startsWith("/") || path.startsWith("//")) {
      throw new IllegalArgumentException("path: " + path + " (expected: a path starting with /)");
    }
    PolicyAnswer.redirect(302, path);
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.REDIRECT;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    if (!request.path().equals("/")) {
      exchange.proceed();
      return;
    }
    String authority = request.authority();
    String location =
        authority == null || authority.isEmpty()
            ? path
            : (request.tls() ? "https://" : "http://") + authority + path;
    exchange.answer(PolicyAnswer.redirect(302, location));
  }

  @Override
  public String label() {
    return "app-root " + path;
  }
}
