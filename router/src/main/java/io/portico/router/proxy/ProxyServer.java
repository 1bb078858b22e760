package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.LiveConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane: one listener per event loop on a shared port, all serving the same {@link
 * LiveConfig}.
 */
public final class ProxyServer {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

  private final Vertx vertx;
  private final List<String> deployments;
  private final int httpPort;

  private ProxyServer(Vertx vertx, List<String> deployments, int httpPort) {
    this.vertx = vertx;
    this.deployments = deployments;
    this.httpPort = httpPort;
  }

  /** Starts listening; the future completes once every event loop accepts connections. */
  public static Future<ProxyServer> start(Vertx vertx, LiveConfig config, ProxySettings settings) {
    requireNonNull(vertx, "vertx");
    requireNonNull(config, "config");
    requireNonNull(settings, "settings");
    int port;
    try {
      port = FreePort.resolve(settings.bindHost(), settings.httpPort());
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return vertx
        .deployVerticle(
            () -> new ProxyVerticle(config, settings, port),
            new DeploymentOptions().setInstances(settings.eventLoops()))
        .map(
            id -> {
              LOG.info(
                  "event=listening listener=http address={}:{} event_loops={}",
                  settings.bindHost(),
                  port,
                  settings.eventLoops());
              return new ProxyServer(vertx, List.of(id), port);
            });
  }

  /** The port the HTTP listener accepts connections on. */
  public int httpPort() {
    return httpPort;
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
