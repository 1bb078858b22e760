/**
 * Local rate limits: how many requests one client address may make to the routes of one Ingress,
 * per second and per minute, counted by each replica on its own, as ingress-nginx's {@code
 * limit-rps} and {@code limit-rpm}.
 */
@NullMarked
package io.portico.router.policy.limit;

import org.jspecify.annotations.NullMarked;
