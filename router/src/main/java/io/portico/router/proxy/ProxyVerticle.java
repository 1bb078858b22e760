package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.portico.router.LiveConfig;
import io.portico.router.policy.ListenerFacts;
import io.portico.router.route.ListenerKey;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One event loop's share of the data plane: the plain listener, the HTTPS listener when there is
 * one, and its own upstream client shared by both, so that a request and its backend connection
 * always live on the same thread.
 */
final class ProxyVerticle extends VerticleBase {

  /**
   * The HTTPS listener of every instance.
   *
   * @param port the concrete port (never 0: instances share it)
   * @param redirectPort the concrete port of redirect URLs
   * @param options the TLS server options, with the shared certificate selector
   */
  record HttpsListener(int port, int redirectPort, boolean hsts, HttpServerOptions options) {}

  private static final int KEEP_ALIVE_SECONDS = 60;
  private static final int UPSTREAM_MAX_HEADER_SIZE = 32 * 1024;

  /**
   * HTTP/2 streams a client may have open on one connection, as Envoy's edge configuration and
   * nginx's {@code http2_max_concurrent_streams} (128) keep them.
   */
  static final int HTTP2_MAX_CONCURRENT_STREAMS = 100;

  /**
   * What a client may send on one HTTP/2 stream before Portico reads it: a stream whose body waits
   * (for a pooled connection, for a slower backend) holds at most this much. Envoy's edge
   * configuration uses 64 KiB; Vert.x's default is 1 MiB.
   */
  static final int HTTP2_STREAM_WINDOW = 64 * 1024;

  /**
   * What a client may send on one HTTP/2 connection, all streams together, before Portico reads it:
   * the bound on the request bodies one connection makes Portico hold, whatever its streams do
   * (Envoy's edge configuration: 1 MiB; Vert.x's default: 16 MiB).
   */
  static final int HTTP2_CONNECTION_WINDOW = 1024 * 1024;

  private final LiveConfig config;
  private final ProxySettings settings;
  private final int port;
  private final @Nullable HttpsListener https;
  private final TrafficObserver observer;
  private final ConnectionLimit connections;
  private final UpstreamAddressGuard guard;

  // The listener, client and pool are made by start(), which Vert.x calls before anything else.
  @SuppressWarnings("NullAway.Init")
  private HttpServer server;

  private @Nullable HttpServer httpsServer;

  @SuppressWarnings("NullAway.Init")
  private BackendClients clients;

  @SuppressWarnings("NullAway.Init")
  private UpstreamPool upstreams;

  /**
   * @param https the HTTPS listener, or {@code null} for plain HTTP only
   */
  ProxyVerticle(
      LiveConfig config,
      ProxySettings settings,
      int port,
      @Nullable HttpsListener https,
      TrafficObserver observer,
      ConnectionLimit connections,
      UpstreamAddressGuard guard) {
    this.observer = observer;
    this.config = config;
    this.settings = settings;
    this.port = port;
    this.https = https;
    this.connections = connections;
    this.guard = guard;
  }

  @Override
  public Future<?> start() {
    clients = new BackendClients(vertx, clientOptions(settings), poolOptions(settings));
    upstreams = upstreamPool(vertx, settings);
    int redirectPort = https == null ? HttpsSettings.STANDARD_PORT : https.redirectPort();
    server =
        vertx
            .createHttpServer(serverOptions(settings))
            .connectionHandler(
                connection -> accepted(connection, false, observer, connections, settings))
            .requestHandler(
                handler(ListenerKey.HTTP, new ListenerFacts(false, redirectPort, false)));
    Future<HttpServer> plain = server.listen(port, settings.bindHost());
    if (https == null) {
      return plain;
    }
    httpsServer =
        vertx
            .createHttpServer(https.options())
            .connectionHandler(
                connection -> accepted(connection, true, observer, connections, settings))
            .exceptionHandler(this::listenerFailure)
            .requestHandler(
                handler(ListenerKey.HTTPS, new ListenerFacts(true, redirectPort, https.hsts())));
    return Future.all(plain, httpsServer.listen(https.port(), settings.bindHost()));
  }

  /** The request handler of one listener of this event loop, sharing its client and pool. */
  private ProxyHandler handler(ListenerKey key, ListenerFacts facts) {
    return new ProxyHandler(
        config,
        new ListenerContext(key, facts, settings, observer, clients, upstreams, guard, vertx));
  }

  /**
   * A client connection opened (after its TLS handshake) on any of Portico's listeners: count it,
   * and set it up or refuse it.
   */
  static void accepted(
      HttpConnection connection,
      boolean tls,
      TrafficObserver observer,
      ConnectionLimit connections,
      ProxySettings settings) {
    observer.connectionOpened(tls);
    if (!connections.tryOpen()) {
      connection.closeHandler(closed -> observer.connectionClosed(tls));
      connection.close();
      return;
    }
    connection.closeHandler(
        closed -> {
          connections.closed();
          observer.connectionClosed(tls);
        });
    if (connection.protocolVersion() == HttpVersion.HTTP_2) {
      if (!tls && VertxInternals.isUpgradedFromHttp1(connection)) {
        // HTTP/1.1 Upgrade: h2c, which Vert.x accepts whenever it speaks HTTP/2 in clear text: an
        // L7 load balancer in front would relay the upgraded connection blindly, letting a client
        // smuggle requests past its rules. Vert.x offers no hook before its 101 is flushed; closing
        // the channel here, before a frame of the client is read, serves nothing over it (the
        // graceful HttpConnection.close would serve the upgraded request first).
        // isUpgradedFromHttp1 is true only when it reached the pipeline.
        requireNonNull(VertxInternals.pipeline(connection), "pipeline").channel().close();
        return;
      }
      consolidateFlushes(connection);
      return;
    }
    ChannelPipeline pipeline = VertxInternals.pipeline(connection);
    if (pipeline != null) {
      // With h2c on, Vert.x makes an HTTP/1.x connection only at its first request.
      RequestHeadTimeout.install(
          pipeline,
          settings.clientHeaderTimeout().toMillis(),
          tls || !settings.h2cPriorKnowledge());
    }
  }

  /**
   * Makes an HTTP/2 connection send what its streams wrote during one event-loop task in one go.
   * Vert.x flushes an HTTP/2 connection at every frame written outside a read of that connection,
   * and a proxied response is written while reading the backend's connection: each response cost a
   * TLS record and a {@code sendto} for its HEADERS and DATA and another for its end, one system
   * call per request more than HTTP/1.1 needs. Netty's {@link FlushConsolidationHandler} defers
   * those flushes to the end of the current event-loop task, so the responses of all streams that
   * completed in it share one write.
   *
   * <p>The pipeline is reached through Vert.x's internals (see {@link VertxInternals#pipeline});
   * should a later version not expose it, connections simply keep Vert.x's flushing.
   */
  private static void consolidateFlushes(HttpConnection connection) {
    ChannelPipeline pipeline = VertxInternals.pipeline(connection);
    if (pipeline == null) {
      return;
    }
    ChannelHandlerContext http2 = pipeline.context(Http2ConnectionHandler.class);
    if (http2 != null && pipeline.get(FlushConsolidationHandler.class) == null) {
      pipeline.addBefore(
          http2.name(),
          "portico-flush-consolidation",
          new FlushConsolidationHandler(
              FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    }
  }

  /** The HTTPS listener reports failed handshakes here (clients that give up, bad hellos). */
  private void listenerFailure(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof javax.net.ssl.SSLException) {
        observer.tlsHandshakeFailed();
        return;
      }
    }
  }

  /**
   * Stops accepting and lets requests in flight finish, up to {@code timeout}: HTTP/1.1 connections
   * close after their current response, HTTP/2 ones get GOAWAY.
   */
  Future<Void> shutdown(java.time.Duration timeout) {
    Future<Void> done = server.shutdown(timeout);
    if (httpsServer != null) {
      done = Future.all(done, httpsServer.shutdown(timeout)).mapEmpty();
    }
    return done;
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server.close();
    if (httpsServer != null) {
      closed = Future.all(closed, httpsServer.close()).mapEmpty();
    }
    return closed.eventually(
        () -> {
          UpstreamPool pool = upstreams;
          pool.loop().execute(pool::close);
          return clients.close();
        });
  }

  /**
   * The connections of this verticle's event loop for plain HTTP/1.1 exchanges (see {@link
   * PooledAttempt}), on the same loop as the requests and with the channel type of Vert.x's
   * transport (epoll when native transport is on).
   */
  static UpstreamPool upstreamPool(io.vertx.core.Vertx vertx, ProxySettings settings) {
    return new UpstreamPool(
        VertxInternals.eventLoop(vertx),
        VertxInternals.channelFactory(vertx),
        (int) settings.upstreamConnectTimeout().toMillis(),
        settings.upstreamPoolSize(),
        settings.upstreamWaitQueue(),
        KEEP_ALIVE_SECONDS,
        UPSTREAM_MAX_HEADER_SIZE);
  }

  /**
   * The options of both listeners (the HTTPS one adds TLS to them). HTTP/2 in clear text is off
   * unless {@link ProxySettings#h2cPriorKnowledge} asks for prior knowledge; the HTTP/2 limits
   * bound what one connection can make Portico hold (see the constants above), and its header list
   * is bounded as HTTP/1.x heads are.
   */
  static HttpServerOptions serverOptions(ProxySettings settings) {
    HttpServerOptions options = new HttpServerOptions();
    Http2Settings http2 =
        new Http2Settings(options.getInitialSettings())
            .setMaxConcurrentStreams(HTTP2_MAX_CONCURRENT_STREAMS)
            .setInitialWindowSize(HTTP2_STREAM_WINDOW)
            .setMaxHeaderListSize(settings.maxHeaderSize());
    return options
        .setHttp2ClearTextEnabled(settings.h2cPriorKnowledge())
        .setInitialSettings(http2)
        .setHttp2ConnectionWindowSize(HTTP2_CONNECTION_WINDOW)
        .setIdleTimeout((int) settings.clientIdleTimeout().toSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setMaxHeaderSize(settings.maxHeaderSize())
        .setMaxInitialLineLength(settings.maxInitialLineLength())
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setHandle100ContinueAutomatically(false)
        // WebSockets pass through to the backend, which negotiates its own extensions: Portico's
        // listener needs no compression handler of its own in every connection's pipeline.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        .setUseProxyProtocol(settings.proxyProtocol())
        .setProxyProtocolTimeout(settings.proxyProtocolTimeout().toMillis())
        .setProxyProtocolTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  static HttpClientOptions clientOptions(ProxySettings settings) {
    return new HttpClientOptions()
        .setName("portico-upstream")
        .setConnectTimeout((int) settings.upstreamConnectTimeout().toMillis())
        .setKeepAlive(true)
        .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
        .setPipelining(false)
        .setMaxHeaderSize(UPSTREAM_MAX_HEADER_SIZE)
        .setDecompressionSupported(false)
        .setTcpNoDelay(true)
        .setShared(false);
  }

  static PoolOptions poolOptions(ProxySettings settings) {
    return new PoolOptions()
        .setHttp1MaxSize(settings.upstreamPoolSize())
        .setMaxWaitQueueSize(settings.upstreamWaitQueue());
  }
}
