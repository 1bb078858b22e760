package io.portico.router.policy;

/**
 * One unit of per-route behaviour, built at translation time and immutable, shared by every request
 * of its route (and by every event loop). Implementations are records or singletons, so that two
 * translations of the same objects give equal routes.
 *
 * <p>For each request, {@link #apply} decides through the exchange: it calls {@link
 * PolicyExchange#proceed()} to let the request go on (to the next policy, then the backend), or
 * {@link PolicyExchange#answer} to answer it itself. It may do so before returning or later (an
 * external check, work off the event loop); until then the request waits and its body stays unread.
 * A policy that throws fails the request with a 500, never lets it through.
 */
public interface RequestPolicy {

  /** Where this policy runs among the others of its route. */
  PolicyPhase phase();

  /**
   * Acts on one request. Runs on the request's event loop: it must not block.
   *
   * @param request what the client asked for
   * @param exchange how to answer, change what goes upstream, or go on; exactly one of {@link
   *     PolicyExchange#proceed()} and {@link PolicyExchange#answer} must be called, now or later
   */
  void apply(PolicyRequest request, PolicyExchange exchange);

  /**
   * What the policy does, in a few words, for route dumps and explanations ({@code rewrite /x/$1});
   * empty for a policy shown otherwise (those of a route's {@code HttpsPolicy}).
   */
  default String label() {
    return "";
  }
}
