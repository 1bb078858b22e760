package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.RewriteTemplate;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.RewritePolicy;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code rewrite-target} on the routes of an Ingress: a route whose path is a regular expression
 * other than the target itself rewrites to the target, with {@code x-forwarded-prefix} when set. A
 * path equal to the target keeps its URI, as in ingress-nginx.
 *
 * @param target the rewrite target
 * @param forwardedPrefix {@code x-forwarded-prefix}, or {@code null}
 */
record RewriteRule(RewriteTemplate target, @Nullable RewriteTemplate forwardedPrefix)
    implements RoutePolicyRule {

  RewriteRule {
    requireNonNull(target, "target");
  }

  @Override
  public List<RequestPolicy> policies(HostnamePattern host, PathMatch path) {
    if (!(path instanceof PathMatch.Regex regex) || target.text().equals(regex.path())) {
      return List.of();
    }
    return List.of(new RewritePolicy(regex, target, forwardedPrefix));
  }
}
