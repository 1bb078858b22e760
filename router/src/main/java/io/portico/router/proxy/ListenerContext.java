package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.util.concurrent.Future;
import io.portico.router.address.ClientAddress;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.address.IpAddress;
import io.portico.router.policy.ListenerFacts;
import io.portico.router.route.Endpoint;
import io.portico.router.route.ListenerKey;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.util.List;

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
  private final UpstreamAddressGuard guard;
  private final Vertx vertx;
  private final AddressMemo addresses = new AddressMemo();
  private final MirrorSender mirrors;

  /**
   * @param client Vert.x's client, for what the pool does not carry
   * @param pool the event loop's own HTTP/1.1 connections
   * @param guard what ExternalName endpoints may resolve to
   */
  ListenerContext(
      ListenerKey key,
      ListenerFacts facts,
      ProxySettings settings,
      TrafficObserver observer,
      HttpClient client,
      UpstreamPool pool,
      UpstreamAddressGuard guard,
      Vertx vertx) {
    this.key = requireNonNull(key, "key");
    this.facts = requireNonNull(facts, "facts");
    this.settings = requireNonNull(settings, "settings");
    this.observer = requireNonNull(observer, "observer");
    this.client = requireNonNull(client, "client");
    this.pool = requireNonNull(pool, "pool");
    this.guard = requireNonNull(guard, "guard");
    this.vertx = requireNonNull(vertx, "vertx");
    this.mirrors = new MirrorSender(client, observer, settings.upstreamReadTimeout().toMillis());
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

  /**
   * The client of {@code request}: its connection's peer, or, when the peer is a trusted proxy, the
   * address it forwards (see {@link ClientAddressRules}). Decided once per request, on arrival.
   */
  ClientAddress client(HttpServerRequest request, ClientAddressRules rules) {
    ClientAddress peer = addresses.peer(request.remoteAddress());
    IpAddress peerIp = peer.ip();
    if (peerIp == null || !rules.trusts(peerIp)) {
      return peer;
    }
    List<String> lines = request.headers().getAll(rules.header());
    return ClientAddress.forwarded(rules.clientBehind(peerIp, lines));
  }

  HttpClient client() {
    return client;
  }

  UpstreamPool pool() {
    return pool;
  }

  /** The sender of this listener's mirror copies. */
  MirrorSender mirrors() {
    return mirrors;
  }

  UpstreamAddressGuard guard() {
    return guard;
  }

  /** Resolves a host name on this event loop, without blocking it. */
  Future<InetAddress> resolve(String host) {
    return VertxInternals.resolve(vertx, pool.loop(), host);
  }

  /** Whether request paths may carry {@code %2F}. */
  boolean allowEncodedSlashes() {
    return settings.allowEncodedSlashes();
  }

  /** How long the backend may stay silent once it has the whole request: the one place for it. */
  long upstreamReadTimeoutMillis() {
    return settings.upstreamReadTimeout().toMillis();
  }

  /** How long a connection may take to get, from the pool or by connecting. */
  long upstreamConnectTimeoutMillis() {
    return settings.upstreamConnectTimeout().toMillis();
  }

  /** A reader of {@code request}'s body for the attempts, with the client body timeout. */
  ClientBody body(HttpServerRequest request, ClientBody.Owner owner) {
    return new ClientBody(request, pool.loop(), settings.clientBodyTimeout().toMillis(), owner);
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
