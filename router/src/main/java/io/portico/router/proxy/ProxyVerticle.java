package io.portico.router.proxy;

import io.portico.router.LiveConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the data plane: a listener and its own upstream client, so that a
 * request and its backend connection always live on the same thread.
 */
final class ProxyVerticle extends VerticleBase {

  private final LiveConfig config;
  private final ProxySettings settings;
  private final int port;
  private HttpServer server;
  private HttpClient client;

  ProxyVerticle(LiveConfig config, ProxySettings settings, int port) {
    this.config = config;
    this.settings = settings;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(clientOptions(settings), poolOptions(settings));
    server =
        vertx
            .createHttpServer(serverOptions(settings))
            .requestHandler(new ProxyHandler(config, client, settings, false));
    return server.listen(port, settings.bindHost());
  }

  int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server.close().eventually(() -> client.close());
  }

  static HttpServerOptions serverOptions(ProxySettings settings) {
    return new HttpServerOptions()
        .setIdleTimeout((int) settings.clientIdleTimeout().toSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setMaxHeaderSize(settings.maxHeaderSize())
        .setMaxInitialLineLength(settings.maxInitialLineLength())
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setHandle100ContinueAutomatically(false)
        .setTcpNoDelay(true)
        .setReuseAddress(true);
  }

  static HttpClientOptions clientOptions(ProxySettings settings) {
    return new HttpClientOptions()
        .setName("portico-upstream")
        .setConnectTimeout((int) settings.upstreamConnectTimeout().toMillis())
        .setKeepAlive(true)
        .setKeepAliveTimeout(60)
        .setPipelining(false)
        .setMaxHeaderSize(32 * 1024)
        .setDecompressionSupported(false)
        .setTcpNoDelay(true)
        .setShared(false);
  }

  static PoolOptions poolOptions(ProxySettings settings) {
    return new PoolOptions().setHttp1MaxSize(settings.upstreamPoolSize());
  }
}
