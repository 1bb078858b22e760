package io.portico.router.route;

import org.jspecify.annotations.Nullable;

/**
 * What a lookup finds: the matched route and the upstream that balances its backend.
 *
 * @param route the rule that matched (for a fallback, the default backend's route)
 * @param upstream the balancer of the route's backend, shared by every route with that backend
 * @param fallback whether no rule matched and a default backend answers instead
 * @param errorUpstream the balancer of the route's {@linkplain Route#errorPages() error backend},
 *     or {@code null} when the route has no error pages
 */
public record RouteTarget(
    Route route, Upstream upstream, boolean fallback, @Nullable Upstream errorUpstream) {

  /** A target whose route has no error pages. */
  public RouteTarget(Route route, Upstream upstream, boolean fallback) {
    this(route, upstream, fallback, null);
  }
}
