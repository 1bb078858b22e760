package io.portico.router.proxy;

import io.portico.router.route.Endpoint;
import io.vertx.core.MultiMap;
import io.vertx.core.net.NetSocket;

/**
 * One try at one endpoint: send the client's request (what {@link UpstreamRequest} says goes
 * upstream), relay the backend's response body to the client, and report everything else to its
 * {@link Listener}, which decides: retry, answer, relay. Runs on the event loop of the client's
 * connection.
 *
 * <p>Two transports implement it: {@link PooledAttempt}, the event loop's own HTTP/1.1 connections
 * (plain exchanges with IP endpoints, most requests), and {@link VertxClientAttempt}, Vert.x's
 * client (WebSocket upgrades, HTTP/2 request bodies, endpoints named by DNS or given by an
 * ExternalName Service). {@link ListenerContext#attempt} picks one per attempt.
 *
 * <p>Whichever way an attempt ends (answered, failed, cancelled because the client left or its body
 * stalled, timed out), its backend connection goes back to its pool only after a complete exchange,
 * and is closed otherwise: a connection left checked out would be lost to every later request to
 * that endpoint.
 */
interface UpstreamAttempt {

  /** Connects (or takes a pooled connection) and sends the request. */
  void start();

  /** The client left: the backend's work is of no use any more. */
  void cancel();

  /** Hears one attempt; implemented by {@link ProxiedExchange}. Called on the event loop. */
  interface Listener {

    /**
     * The attempt takes the client's request body (or its end) from now on: let it flow (and send
     * {@code 100 Continue} to a client that waits for it).
     */
    void releaseRequest();

    /**
     * The attempt failed before the backend's response head: the request may be retried.
     *
     * @param endpoint the endpoint of the failed attempt
     */
    void failed(Endpoint endpoint, ProxyFailure failure, Throwable cause);

    /**
     * The backend's response head arrived: start the client's response from it.
     *
     * @return false when the client has gone (the attempt then ends its side)
     */
    boolean answered(int status, String reason, MultiMap headers);

    /**
     * The backend's response failed after its head, while its body was relayed: the client's
     * response is cut short. The attempt has closed its side already.
     */
    void aborted(Throwable cause);

    /** The backend agreed to a WebSocket upgrade (101): the two connections become one pipe. */
    void switchedProtocols(MultiMap headers, NetSocket backend);
  }
}
