/**
 * A small memcached client on Vert.x's {@code NetClient}: the few text-protocol commands a counter
 * shared by several replicas needs ({@code get}, {@code incr}, {@code add} with an expiry), never
 * blocking an event loop, with a bounded pool of pipelined connections per event loop and a timeout
 * on every step.
 */
@NullMarked
package io.portico.router.memcached;

import org.jspecify.annotations.NullMarked;
