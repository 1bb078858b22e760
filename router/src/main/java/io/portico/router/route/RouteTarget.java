package io.portico.router.route;

/**
 * What a lookup finds: the matched route and the upstream that balances its backend.
 *
 * @param route the rule that matched (for a fallback, the default backend's route)
 * @param upstream the balancer of the route's backend, shared by every route with that backend
 * @param fallback whether no rule matched and a default backend answers instead
 */
public record RouteTarget(Route route, Upstream upstream, boolean fallback) {}
