package io.portico.router.route;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a lookup finds: the matched route and the upstream that balances its backend.
 *
 * @param route the rule that matched (for a fallback, the default backend's route)
 * @param upstream the balancer of the backend this target serves with, shared by every route with
 *     that backend
 * @param fallback whether no rule matched and a default backend answers instead
 * @param canaries the targets of the route's canaries, in order, each with its own upstream and no
 *     canaries of its own; empty for most routes
 * @param mirror the upstream of the route's mirror, or {@code null} when it has none
 * @param errorUpstream the balancer of the route's {@linkplain Route#errorPages() error backend},
 *     or {@code null} when the route has no error pages
 */
public record RouteTarget(
    Route route,
    Upstream upstream,
    boolean fallback,
    List<RouteTarget> canaries,
    @Nullable Upstream mirror,
    @Nullable Upstream errorUpstream) {

  public RouteTarget {
    canaries = List.copyOf(canaries);
  }

  /** A target without canaries, mirror or error pages. */
  public RouteTarget(Route route, Upstream upstream, boolean fallback) {
    this(route, upstream, fallback, List.of(), null, null);
  }

  /**
   * The target of the route's backend {@code index}: this one for 0, canary {@code index-1}'s
   * otherwise; {@code null} when the route has no such backend.
   */
  public @Nullable RouteTarget backend(int index) {
    if (index == 0) {
      return this;
    }
    return index > 0 && index <= canaries.size() ? canaries.get(index - 1) : null;
  }

  /** The backend this target serves with: the route's own, or a canary's. */
  public Backend servedBy() {
    return upstream.backend();
  }
}
