/**
 * How a backend's endpoints share the requests: the load-balancing policy and cookie session
 * affinity, as immutable settings ({@link io.portico.router.balance.BackendPolicy}) and the
 * precomputed, lock-free machinery a configuration generation uses to apply them ({@link
 * io.portico.router.balance.StickyIndex}).
 *
 * <p>This package knows nothing of routes or HTTP: it works on endpoint identities and indexes, so
 * the route model can depend on it without a cycle.
 */
@NullMarked
package io.portico.router.balance;

import org.jspecify.annotations.NullMarked;
