package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.LiveConfig;
import io.portico.tls.SniKeyManager;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane: on every event loop a plain HTTP listener and, when configured, an HTTPS
 * listener, each on a port shared by all event loops, all serving the same {@link LiveConfig}.
 */
public final class ProxyServer {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

  private final Vertx vertx;
  private final List<String> deployments;
  private final List<ProxyVerticle> instances;
  private final int httpPort;
  private final int httpsPort;

  private ProxyServer(
      Vertx vertx,
      List<String> deployments,
      List<ProxyVerticle> instances,
      int httpPort,
      int httpsPort) {
    this.instances = instances;
    this.vertx = vertx;
    this.deployments = deployments;
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
  }

  /**
   * Starts plain HTTP only; the future completes once every event loop accepts connections. Rules
   * that redirect to HTTPS name port 443.
   */
  public static Future<ProxyServer> start(Vertx vertx, LiveConfig config, ProxySettings settings) {
    return start(vertx, config, settings, null);
  }

  /**
   * Starts plain HTTP and HTTPS; the future completes once every event loop accepts connections on
   * both. HTTPS certificates are those of {@code config}'s current configuration at each handshake.
   *
   * @param https the HTTPS listener's settings, or {@code null} for plain HTTP only
   */
  public static Future<ProxyServer> start(
      Vertx vertx, LiveConfig config, ProxySettings settings, @Nullable HttpsSettings https) {
    return start(vertx, config, settings, https, TrafficObserver.NONE);
  }

  /**
   * Starts the listeners, reporting what happens to {@code observer}.
   *
   * @param https the HTTPS listener's settings, or {@code null} for plain HTTP only
   */
  public static Future<ProxyServer> start(
      Vertx vertx,
      LiveConfig config,
      ProxySettings settings,
      @Nullable HttpsSettings https,
      TrafficObserver observer) {
    requireNonNull(vertx, "vertx");
    requireNonNull(observer, "observer");
    requireNonNull(config, "config");
    requireNonNull(settings, "settings");
    int port;
    ProxyVerticle.HttpsListener listener = null;
    TlsEngine engine = null;
    try {
      port = FreePort.resolve(settings.bindHost(), settings.httpPort());
      if (https != null) {
        engine = https.engine().resolve();
        int tlsPort = FreePort.resolve(settings.bindHost(), https.port());
        listener =
            new ProxyVerticle.HttpsListener(
                tlsPort,
                https.redirectPort() == 0 ? tlsPort : https.redirectPort(),
                https.hsts(),
                TlsServerOptions.of(
                    ProxyVerticle.serverOptions(settings),
                    engine,
                    new SniKeyManager(() -> config.current().certificates())));
      }
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (engine != null) {
      LOG.info("event=tls_engine engine={} version={}", engine.logName(), engine.version());
    }
    ProxyVerticle.HttpsListener tls = listener;
    List<ProxyVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
    ConnectionLimit connections = new ConnectionLimit(settings.maxConnections());
    // Read once, here, off the event loops: the interfaces of this host do not change under a pod.
    UpstreamAddressGuard guard = UpstreamAddressGuard.ofThisHost(settings.bindHost());
    return vertx
        .deployVerticle(
            () -> {
              ProxyVerticle instance =
                  new ProxyVerticle(config, settings, port, tls, observer, connections, guard);
              instances.add(instance);
              return instance;
            },
            new DeploymentOptions().setInstances(settings.eventLoops()))
        .map(
            id -> {
              LOG.info(
                  "event=listening listener=http address={}:{} event_loops={} h2c_prior_knowledge={}"
                      + " max_connections={}",
                  settings.bindHost(),
                  port,
                  settings.eventLoops(),
                  settings.h2cPriorKnowledge(),
                  settings.maxConnections());
              if (tls != null) {
                LOG.info(
                    "event=listening listener=https address={}:{} redirect_port={} hsts={}",
                    settings.bindHost(),
                    tls.port(),
                    tls.redirectPort(),
                    tls.hsts());
              }
              return new ProxyServer(
                  vertx, List.of(id), instances, port, tls == null ? 0 : tls.port());
            });
  }

  /** The port the HTTP listener accepts connections on. */
  public int httpPort() {
    return httpPort;
  }

  /** The port the HTTPS listener accepts connections on, or 0 when there is none. */
  public int httpsPort() {
    return httpsPort;
  }

  /**
   * Stops accepting and lets requests in flight finish, up to {@code timeout}; idle keep-alive
   * connections are closed politely ({@code Connection: close}, HTTP/2 GOAWAY). Complete with
   * {@link #close()}.
   */
  public Future<Void> shutdown(java.time.Duration timeout) {
    List<Future<Void>> drained = new ArrayList<>();
    for (ProxyVerticle instance : instances) {
      drained.add(instance.shutdown(timeout));
    }
    return Future.join(drained).mapEmpty();
  }

  /** Stops accepting and closes the listeners and upstream pools. */
  public Future<Void> close() {
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : deployments) {
      undeployed.add(vertx.undeploy(id));
    }
    return Future.all(undeployed).mapEmpty();
  }
}
