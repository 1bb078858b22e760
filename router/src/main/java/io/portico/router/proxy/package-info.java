/**
 * The data plane's listeners and forwarding: {@link io.portico.router.proxy.ProxyServer} starts a
 * {@code ProxyVerticle} per event loop, whose {@code ProxyHandler} matches each request against the
 * configuration serving at that moment, runs the route's policies and forwards the request to an
 * endpoint, through the event loop's {@code UpstreamPool} or Vert.x's client. {@link
 * io.portico.router.proxy.ProxyFailure} maps what goes wrong to the status the client gets.
 */
@NullMarked
package io.portico.router.proxy;

import org.jspecify.annotations.NullMarked;
