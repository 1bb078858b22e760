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
  private final int httpPort;
  private final int httpsPort;

  private ProxyServer(Vertx vertx, List<String> deployments, int httpPort, int httpsPort) {
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
      Vertx vertx, LiveConfig config, ProxySettings settings, HttpsSettings https) {
    requireNonNull(vertx, "vertx");
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
    return vertx
        .deployVerticle(
            () -> new ProxyVerticle(config, settings, port, tls),
            new DeploymentOptions().setInstances(settings.eventLoops()))
        .map(
            id -> {
              LOG.info(
                  "event=listening listener=http address={}:{} event_loops={}",
                  settings.bindHost(),
                  port,
                  settings.eventLoops());
              if (tls != null) {
                LOG.info(
                    "event=listening listener=https address={}:{} redirect_port={} hsts={}",
                    settings.bindHost(),
                    tls.port(),
                    tls.redirectPort(),
                    tls.hsts());
              }
              return new ProxyServer(vertx, List.of(id), port, tls == null ? 0 : tls.port());
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

  /** Stops accepting and closes the listeners and upstream pools. */
  public Future<Void> close() {
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : deployments) {
      undeployed.add(vertx.undeploy(id));
    }
    return Future.all(undeployed).mapEmpty();
  }
}
