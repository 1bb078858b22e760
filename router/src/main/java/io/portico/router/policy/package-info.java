/**
 * Per-route request policies: what a route does to a request between the route match and the
 * upstream attempt.
 *
 * <p>A {@link io.portico.router.policy.RequestPolicy} is precomputed at translation time into an
 * immutable object and attached to its route in a {@link io.portico.router.policy.RoutePolicies},
 * which orders the policies by {@link io.portico.router.policy.PolicyPhase} once. For each request
 * the proxy runs them through a {@link io.portico.router.policy.PolicyChain}: each policy reads a
 * {@link io.portico.router.policy.PolicyRequest} and acts through a {@link
 * io.portico.router.policy.PolicyExchange}, answering the request itself or letting it go on, now
 * or later. Nothing here knows Vert.x or Netty: the proxy adapts its request and response to these
 * types.
 */
@NullMarked
package io.portico.router.policy;

import org.jspecify.annotations.NullMarked;
