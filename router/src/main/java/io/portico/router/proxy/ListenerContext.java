package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.ListenerFacts;
import io.portico.router.route.Endpoint;
import io.portico.router.route.ListenerKey;
import io.vertx.core.http.HttpClient;

/**
 * What every request of one listener on one event loop shares: whether it is the HTTPS listener
 * (and what policies may know of it), the settings, the observer, and the two upstream transports
 * with their address memo. Confined to that event loop, like everything a request touches.
 */
final class ListenerContext {

  private final ListenerKey key;
  private final ListenerFacts facts;
  private final ProxySettings settings;
  private final TrafficObserver observer;
  private final HttpClient client;
  private final UpstreamPool pool;
  private final AddressMemo addresses = new AddressMemo();

  /**
   * @param client Vert.x's client, for what the pool does not carry
   * @param pool the event loop's own HTTP/1.1 connections
   */
  ListenerContext(
      ListenerKey key,
      ListenerFacts facts,
      ProxySettings settings,
      TrafficObserver observer,
      HttpClient client,
      UpstreamPool pool) {
    this.key = requireNonNull(key, "key");
    this.facts = requireNonNull(facts, "facts");
    this.settings = requireNonNull(settings, "settings");
    this.observer = requireNonNull(observer, "observer");
    this.client = requireNonNull(client, "client");
    this.pool = requireNonNull(pool, "pool");
  }

  /** Which of Portico's listeners this is, as routes name it. */
  ListenerKey key() {
    return key;
  }

  boolean tls() {
    return facts.tls();
  }

  ListenerFacts facts() {
    return facts;
  }

  TrafficObserver observer() {
    return observer;
  }

  AddressMemo addresses() {
    return addresses;
  }

  HttpClient client() {
    return client;
  }

  UpstreamPool pool() {
    return pool;
  }

  /** How long the backend may stay silent once it has the whole request: the one place for it. */
  long upstreamReadTimeoutMillis() {
    return settings.upstreamReadTimeout().toMillis();
  }

  /** A new attempt at {@code endpoint}, over the pool when it carries the request, else Vert.x. */
  UpstreamAttempt attempt(
      UpstreamRequest outbound, Endpoint endpoint, UpstreamAttempt.Listener listener) {
    if (PooledAttempt.carries(outbound, endpoint, pool)) {
      return new PooledAttempt(this, outbound, endpoint, listener);
    }
    return new VertxClientAttempt(this, outbound, endpoint, listener);
  }
}
