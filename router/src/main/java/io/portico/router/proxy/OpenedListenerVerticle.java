package io.portico.router.proxy;

import io.portico.router.LiveConfig;
import io.portico.router.policy.ListenerFacts;
import io.portico.router.route.ListenerKey;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.jspecify.annotations.Nullable;

/**
 * One event loop's share of a listener opened for Gateway listeners ({@code
 * --gateway-listener-ports}): one server, plain or TLS as the Gateway listeners mapped to it speak,
 * with its own upstream client and pool on that event loop, like {@link ProxyVerticle}'s.
 */
final class OpenedListenerVerticle extends VerticleBase {

  private final LiveConfig config;
  private final ProxySettings settings;
  private final ListenerKey key;
  private final int port;
  // The TLS options with this listener's certificate selector, or null for plain HTTP.
  private final @Nullable HttpServerOptions tls;
  private final TrafficObserver observer;
  private final ConnectionLimit connections;
  private final UpstreamAddressGuard guard;

  // The server, client and pool are made by start(), which Vert.x calls before anything else.
  @SuppressWarnings("NullAway.Init")
  private HttpServer server;

  @SuppressWarnings("NullAway.Init")
  private HttpClient client;

  @SuppressWarnings("NullAway.Init")
  private UpstreamPool upstreams;

  /**
   * @param port the concrete port (never 0: instances share it)
   * @param tls the server options of a TLS listener, or {@code null} for plain HTTP
   * @param connections the limit every listener of the server shares
   * @param guard what ExternalName endpoints may resolve to
   */
  OpenedListenerVerticle(
      LiveConfig config,
      ProxySettings settings,
      ListenerKey key,
      int port,
      @Nullable HttpServerOptions tls,
      TrafficObserver observer,
      ConnectionLimit connections,
      UpstreamAddressGuard guard) {
    this.config = config;
    this.settings = settings;
    this.key = key;
    this.port = port;
    this.tls = tls;
    this.observer = observer;
    this.connections = connections;
    this.guard = guard;
  }

  @Override
  public Future<?> start() {
    client =
        vertx.createHttpClient(
            ProxyVerticle.clientOptions(settings), ProxyVerticle.poolOptions(settings));
    upstreams = ProxyVerticle.upstreamPool(vertx, settings);
    boolean secure = tls != null;
    // Redirects a Gateway API rule makes name its Gateway's ports; this only serves the policies
    // of HTTPS rules, which Ingress rules alone have.
    ListenerFacts facts = new ListenerFacts(secure, HttpsSettings.STANDARD_PORT, false);
    server =
        vertx
            .createHttpServer(secure ? tls : ProxyVerticle.serverOptions(settings))
            .connectionHandler(
                connection ->
                    ProxyVerticle.accepted(connection, secure, observer, connections, settings))
            .requestHandler(
                new ProxyHandler(
                    config,
                    new ListenerContext(
                        key, facts, settings, observer, client, upstreams, guard, vertx)));
    return server.listen(port, settings.bindHost());
  }

  Future<Void> shutdown(java.time.Duration timeout) {
    return server.shutdown(timeout);
  }

  @Override
  public Future<?> stop() {
    return server
        .close()
        .eventually(
            () -> {
              UpstreamPool pool = upstreams;
              pool.loop().execute(pool::close);
              return client.close();
            });
  }
}
