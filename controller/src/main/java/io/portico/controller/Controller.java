package io.portico.controller;

import io.portico.controller.accesslog.AccessLog;
import io.portico.controller.accesslog.AccessLogFormat;
import io.portico.controller.admin.AdminServer;
import io.portico.controller.config.ControllerConfig;
import io.portico.controller.config.ListenerConfig;
import io.portico.controller.metrics.PorticoMetrics;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.OperationsSettings;
import io.portico.controller.source.StateSource;
import io.portico.controller.translate.Translation;
import io.portico.router.LiveConfig;
import io.portico.router.VertxFactory;
import io.portico.router.balance.AffinityKey;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxyServer;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.proxy.TrafficObserver;
import io.portico.router.proxy.WarmUp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Portico: the {@link ChangePipeline} that turns the state of a source into the
 * configuration to serve, the data plane that serves it and the admin server that reports on it.
 */
public final class Controller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  // The longest the listeners wait for the first translation's ConfigMap values (see
  // ChangePipeline#configAtStart); it follows the source's start at once.
  private static final Duration FIRST_CONFIG_WAIT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final ChangePipeline pipeline;
  private final ProxyServer proxy;
  private final AdminServer admin;
  private final @Nullable AccessLog accessLog;
  private final AtomicBoolean stopping;
  private final AtomicBoolean warming;
  private final OperationsSettings operations;

  private Controller(
      Vertx vertx,
      ChangePipeline pipeline,
      ProxyServer proxy,
      AdminServer admin,
      @Nullable AccessLog accessLog,
      AtomicBoolean stopping,
      AtomicBoolean warming,
      OperationsSettings operations) {
    this.vertx = vertx;
    this.pipeline = pipeline;
    this.proxy = proxy;
    this.admin = admin;
    this.accessLog = accessLog;
    this.stopping = stopping;
    this.warming = warming;
    this.operations = operations;
  }

  /**
   * Starts serving: the change pipeline (returning once the source holds a complete view; the first
   * configuration follows at once, and readiness reports it), then the listeners and the admin
   * server.
   *
   * @throws Exception when the source cannot start or a port cannot be bound; nothing is left
   *     running then
   */
  public static Controller start(ControllerSettings settings) throws Exception {
    PorticoMetrics metrics = new PorticoMetrics(Clock.systemUTC());
    ChangePipeline pipeline = ChangePipeline.create(settings, metrics);
    Vertx vertx = VertxFactory.create(settings.proxy().eventLoops());
    AccessLog accessLog = null;
    try {
      pipeline.start();
      ControllerConfig atStart = pipeline.configAtStart(FIRST_CONFIG_WAIT);
      ProxySettings proxySettings = ListenerConfig.apply(settings.proxy(), atStart);
      TrafficObserver observer = metrics.traffic();
      OperationsSettings operations = settings.operations();
      if (operations.accessLog() != AccessLogFormat.OFF) {
        accessLog = new AccessLog(operations.accessLog(), operations.accessLogQuery(), System.out);
        observer = TrafficObserver.of(metrics.traffic(), accessLog);
      }
      ProxyServer proxy =
          await(
              ProxyServer.start(
                  vertx,
                  pipeline.live(),
                  proxySettings,
                  ListenerConfig.apply(settings.https(), atStart),
                  observer));
      pipeline.attach(proxy);
      AtomicBoolean stopping = new AtomicBoolean();
      AtomicBoolean warming = new AtomicBoolean(!operations.warmUp().isZero());
      AdminServer admin =
          await(
              AdminServer.start(
                  vertx,
                  settings.adminBind(),
                  settings.adminPort(),
                  pipeline.live(),
                  pipeline.publisher(),
                  metrics,
                  () -> readiness(stopping, warming, pipeline),
                  pipeline::statusDocuments));
      logAffinityKey(settings.affinityKey());
      LOG.info("event=started source={}", settings.source().describe());
      if (warming.get()) {
        warmUp(vertx, proxySettings, settings.https(), operations.warmUp(), warming);
      }
      return new Controller(
          vertx, pipeline, proxy, admin, accessLog, stopping, warming, operations);
    } catch (Exception e) {
      pipeline.close();
      if (accessLog != null) {
        accessLog.close();
      }
      vertx.close();
      throw e;
    }
  }

  private static @Nullable String readiness(
      AtomicBoolean stopping, AtomicBoolean warming, ChangePipeline pipeline) {
    if (stopping.get()) {
      return "shutting down";
    }
    String reason = pipeline.notReadyReason();
    if (reason == null && warming.get()) {
      return "warming up";
    }
    return reason;
  }

  /** Runs the warm-up in the background; readiness fails until it has finished. */
  private static void warmUp(
      Vertx vertx,
      ProxySettings proxySettings,
      HttpsSettings https,
      Duration duration,
      AtomicBoolean warming) {
    LOG.info("event=warm_up_started duration_ms={}", duration.toMillis());
    WarmUp.run(vertx, proxySettings, https, duration)
        .onComplete(
            done -> {
              WarmUp.Result result = done.result();
              if (result.failures() == 0) {
                LOG.info(
                    "event=warm_up_done requests={} took_ms={}",
                    result.requests(),
                    result.took().toMillis());
              } else {
                LOG.warn(
                    "event=warm_up_done requests={} failed={} took_ms={} first_error=\"{}\""
                        + " (ready anyway: the warm-up only speeds the first requests)",
                    result.requests(),
                    result.failures(),
                    result.took().toMillis(),
                    result.firstError());
              }
              warming.set(false);
            });
  }

  private static void logAffinityKey(AffinityKey key) {
    if (key.isBuiltIn()) {
      LOG.info(
          "event=affinity_key source=built-in detail=\"session cookies name no address, but"
              + " anyone who knows an endpoint's identity can compute its cookie; in production,"
              + " and for several replicas, pass --affinity-key-file with the same secret to"
              + " each\"");
    } else {
      LOG.info("event=affinity_key source=file");
    }
  }

  public int httpPort() {
    return proxy.httpPort();
  }

  /**
   * The port a listener opened for Gateway listeners accepts connections on ({@code
   * --gateway-listener-ports}), or 0 while it is not open.
   *
   * @param configured the local port as configured
   */
  public int openedPort(int configured) {
    return proxy.openedPort(io.portico.router.route.ListenerKey.opened(configured));
  }

  /** The port the HTTPS listener accepts connections on. */
  public int httpsPort() {
    return proxy.httpsPort();
  }

  /** The most recent translation (routes, certificates, findings), or {@code null} before it. */
  public @Nullable Translation latestTranslation() {
    return pipeline.publisher().latest();
  }

  public int adminPort() {
    return admin.port();
  }

  public LiveConfig live() {
    return pipeline.live();
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Why {@code /readyz} fails now (warming up, shutting down, no configuration yet), or {@code
   * null} when it reports ready.
   */
  public @Nullable String notReadyReason() {
    return readiness(stopping, warming, pipeline);
  }

  /** Whether this replica writes status and events now (always false without a cluster). */
  public boolean leading() {
    return pipeline.leading();
  }

  /** The source of state, for tests and the admin server. */
  public StateSource source() {
    return pipeline.source();
  }

  /**
   * Stops gracefully: readiness fails at once; traffic is served for the shutdown delay while load
   * balancers and endpoints drop this replica; then the listeners stop accepting, requests in
   * flight get up to the drain timeout to finish, idle keep-alive connections are closed politely
   * ({@code Connection: close}, HTTP/2 GOAWAY); then everything closes. Blocks the calling thread,
   * which must not be an event loop.
   */
  public void shutdown() {
    stopping.set(true);
    LOG.info(
        "event=shutdown_started delay_s={} drain_timeout_s={} (readiness now fails)",
        operations.shutdownDelay().toSeconds(),
        operations.drainTimeout().toSeconds());
    try {
      Thread.sleep(operations.shutdownDelay().toMillis());
      LOG.info("event=draining (no new connections; requests in flight finish)");
      proxy
          .shutdown(operations.drainTimeout())
          .toCompletionStage()
          .toCompletableFuture()
          .get(operations.drainTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("event=drain_incomplete error=\"{}\"", e.toString());
    }
    close();
    LOG.info("event=stopped");
  }

  @Override
  public void close() {
    pipeline.close();
    if (accessLog != null) {
      accessLog.close();
    }
    try {
      await(proxy.close().eventually(admin::close).eventually(vertx::close));
    } catch (Exception e) {
      LOG.warn("event=close_failed error=\"{}\"", e.toString());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
