package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.util.concurrent.Future;
import io.portico.router.address.ClientAddress;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.address.IpAddress;
import io.portico.router.policy.ListenerFacts;
import io.portico.router.route.Endpoint;
import io.portico.router.route.ListenerKey;
import io.portico.router.route.UpstreamSettings;
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
  private final BackendClients clients;
  private final UpstreamPool pool;
  private final UpstreamAddressGuard guard;
  private final Vertx vertx;
  private final AddressMemo addresses = new AddressMemo();
  private final long readTimeoutMillis;
  private final long connectTimeoutMillis;
  private final MirrorSender mirrors;
  private final SideRequestClient sideRequests;

  /**
   * @param clients Vert.x's clients, for what the pool does not carry
   * @param pool the event loop's own HTTP/1.1 connections
   * @param guard what ExternalName endpoints may resolve to
   */
  ListenerContext(
      ListenerKey key,
      ListenerFacts facts,
      ProxySettings settings,
      TrafficObserver observer,
      BackendClients clients,
      UpstreamPool pool,
      UpstreamAddressGuard guard,
      Vertx vertx) {
    this.key = requireNonNull(key, "key");
    this.facts = requireNonNull(facts, "facts");
    this.settings = requireNonNull(settings, "settings");
    this.observer = requireNonNull(observer, "observer");
    this.clients = requireNonNull(clients, "clients");
    this.readTimeoutMillis = settings.upstreamReadTimeout().toMillis();
    this.connectTimeoutMillis = settings.upstreamConnectTimeout().toMillis();
    this.pool = requireNonNull(pool, "pool");
    this.guard = requireNonNull(guard, "guard");
    this.vertx = requireNonNull(vertx, "vertx");
    this.mirrors =
        new MirrorSender(clients.plain(), observer, settings.upstreamReadTimeout().toMillis());
    this.sideRequests = new SideRequestClient(vertx, clients.plain(), guard, this::resolve);
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

  /** The Vert.x instance of this listener, for timers. */
  Vertx vertx() {
    return vertx;
  }

  AddressMemo addresses() {
    return addresses;
  }

  /** The Vert.x client that speaks to a backend as {@code upstream} says. */
  io.vertx.core.Future<HttpClient> client(UpstreamSettings upstream) {
    return clients.client(upstream);
  }

  /**
   * The client of {@code request}: its connection's peer, or, when the peer is a trusted proxy, the
   * address it forwards (see {@link ClientAddressRules}). Decided once per request, on arrival.
   */
  ClientAddress client(HttpServerRequest request, ClientAddressRules rules) {
    ClientAddress peer =
        settings.proxyProtocol()
            ? proxiedPeer(request, rules)
            : addresses.peer(request.remoteAddress());
    IpAddress peerIp = peer.ip();
    if (peerIp == null || !rules.trusts(peerIp)) {
      return peer;
    }
    List<String> lines = request.headers().getAll(rules.header());
    return ClientAddress.forwarded(rules.clientBehind(peerIp, lines));
  }

  /**
   * The peer of a connection that began with a PROXY protocol header: the header's source address
   * when the load balancer that sent it (the TCP peer) is trusted, else the load balancer itself,
   * so that a header from anyone else changes nothing.
   */
  private ClientAddress proxiedPeer(HttpServerRequest request, ClientAddressRules rules) {
    ClientAddress balancer = addresses.peer(request.connection().remoteAddress(true));
    IpAddress balancerIp = balancer.ip();
    if (balancerIp == null || !rules.trustsProxyProtocolFrom(balancerIp)) {
      return balancer;
    }
    return addresses.peer(request.remoteAddress());
  }

  UpstreamPool pool() {
    return pool;
  }

  /** The sender of this listener's mirror copies. */
  MirrorSender mirrors() {
    return mirrors;
  }

  /** The sender of this listener's policies' side requests (external auth). */
  SideRequestClient sideRequests() {
    return sideRequests;
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

  /**
   * How long the backend may stay silent between two reads, once it has the whole request: the
   * route's {@code proxy-read-timeout}, else the listener's. The one place for it.
   */
  long upstreamReadTimeoutMillis(UpstreamSettings upstream) {
    return upstream.readTimeoutMillis(readTimeoutMillis);
  }

  /** How long the backend may leave the request body unread: {@code proxy-send-timeout}. */
  long upstreamSendTimeoutMillis(UpstreamSettings upstream) {
    return upstream.sendTimeoutMillis(readTimeoutMillis);
  }

  /** How long a connection may take to get, from the pool or by connecting. */
  long upstreamConnectTimeoutMillis(UpstreamSettings upstream) {
    return upstream.connectTimeoutMillis(connectTimeoutMillis);
  }

  /**
   * A reader of {@code request}'s body for the attempts, with the client body timeout and the
   * route's body limit and send timeout.
   *
   * @param upstream the route's settings: its body limit and send timeout
   */
  ClientBody body(HttpServerRequest request, ClientBody.Owner owner, UpstreamSettings upstream) {
    return new ClientBody(
        request,
        pool.loop(),
        settings.clientBodyTimeout().toMillis(),
        upstreamSendTimeoutMillis(upstream),
        upstream.maxBodyBytes(),
        owner);
  }

  /** A new attempt at {@code endpoint}, over the pool when it carries the request, else Vert.x. */
  UpstreamAttempt attempt(
      UpstreamRequest outbound, Endpoint endpoint, UpstreamAttempt.Listener listener) {
    if (outbound.settings().pooled() && PooledAttempt.carries(outbound, endpoint, pool)) {
      return new PooledAttempt(this, outbound, endpoint, listener);
    }
    return new VertxClientAttempt(this, outbound, endpoint, listener);
  }
}
