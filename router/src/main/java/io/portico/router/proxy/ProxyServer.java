package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.LiveConfig;
import io.portico.router.RoutingConfig;
import io.portico.router.route.ListenerKey;
import io.portico.router.route.ListenerRoutes;
import io.portico.tls.CertificateChoiceListener;
import io.portico.tls.CertificateSet;
import io.portico.tls.SniKeyManager;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane: on every event loop a plain HTTP listener and, when configured, an HTTPS
 * listener, each on a port shared by all event loops, all serving the same {@link LiveConfig}.
 */
public final class ProxyServer {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

  /** A listener opened for Gateway listeners: its deployment, protocol and concrete port. */
  private record Opened(
      String deployment, boolean tls, int port, List<OpenedListenerVerticle> instances) {}

  private final Vertx vertx;
  private final List<String> deployments;
  private final List<ProxyVerticle> instances;
  private final int httpPort;
  private final int httpsPort;
  private final LiveConfig config;
  private final ProxySettings settings;
  private final TrafficObserver observer;
  private final ConnectionLimit connections;
  private final UpstreamAddressGuard guard;
  // Staples OCSP responses on every TLS listener; null when enable-ocsp is off or cannot work.
  private final @Nullable OcspStapler stapler;
  // The TLS engine of opened HTTPS listeners: the HTTPS listener's, else resolved when first
  // needed.
  private @Nullable TlsEngine engine;
  // Guarded by this.
  private final Map<ListenerKey, Opened> opened = new TreeMap<>();
  // The changes under way: each set of changes starts once the one before has completed, so that
  // what is open is known when the next is decided. Guarded by this.
  private Future<Void> changing = Future.succeededFuture();

  private ProxyServer(
      Vertx vertx,
      List<String> deployments,
      List<ProxyVerticle> instances,
      int httpPort,
      int httpsPort,
      LiveConfig config,
      ProxySettings settings,
      TrafficObserver observer,
      ConnectionLimit connections,
      UpstreamAddressGuard guard,
      @Nullable TlsEngine engine,
      @Nullable OcspStapler stapler) {
    this.instances = instances;
    this.stapler = stapler;
    this.vertx = vertx;
    this.deployments = deployments;
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
    this.config = config;
    this.settings = settings;
    this.observer = observer;
    this.connections = connections;
    this.guard = guard;
    this.engine = engine;
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
    return start(vertx, config, settings, https, observer, true);
  }

  /**
   * Starts the listeners; {@code announce} false keeps their start out of the info log, for
   * listeners nobody outside the process uses (the {@link WarmUp}'s), which would otherwise read as
   * the ones that serve.
   */
  static Future<ProxyServer> start(
      Vertx vertx,
      LiveConfig config,
      ProxySettings settings,
      @Nullable HttpsSettings https,
      TrafficObserver observer,
      boolean announce) {
    requireNonNull(vertx, "vertx");
    requireNonNull(observer, "observer");
    requireNonNull(config, "config");
    requireNonNull(settings, "settings");
    // Read once, here, off the event loops: the interfaces of this host do not change under a pod.
    UpstreamAddressGuard guard = UpstreamAddressGuard.ofThisHost(settings.bindHost());
    int port;
    ProxyVerticle.HttpsListener listener = null;
    TlsEngine engine = null;
    OcspStapler stapler = null;
    try {
      port = FreePort.resolve(settings.bindHost(), settings.httpPort());
      if (https != null) {
        engine = https.engine().resolve();
        int tlsPort = FreePort.resolve(settings.bindHost(), https.port());
        stapler = https.ocspStapling() ? ocspStapler(vertx, config, engine, guard) : null;
        listener =
            new ProxyVerticle.HttpsListener(
                tlsPort,
                https.redirectPort() == 0 ? tlsPort : https.redirectPort(),
                https.hsts(),
                TlsServerOptions.of(
                    ProxyVerticle.serverOptions(settings),
                    engine,
                    new SniKeyManager(
                        () -> config.current().certificates(),
                        stapler == null ? CertificateChoiceListener.NONE : stapler),
                    stapler != null,
                    new ClientCertificateHosts(() -> config.current().routes())));
      }
    } catch (IOException | RuntimeException e) {
      if (stapler != null) {
        stapler.close();
      }
      return Future.failedFuture(e);
    }
    if (engine != null && announce) {
      LOG.info("event=tls_engine engine={} version={}", engine.logName(), engine.version());
    }
    OcspStapler ocsp = stapler;
    ProxyVerticle.HttpsListener tls = listener;
    TlsEngine resolved = engine;
    List<ProxyVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
    ConnectionLimit connections = new ConnectionLimit(settings.maxConnections());
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
              if (!announce) {
                LOG.debug(
                    "event=listening listener=warm-up address={}:{}", settings.bindHost(), port);
              } else {
                announce(settings, port, tls);
              }
              return new ProxyServer(
                  vertx,
                  List.of(id),
                  instances,
                  port,
                  tls == null ? 0 : tls.port(),
                  config,
                  settings,
                  observer,
                  connections,
                  guard,
                  resolved,
                  ocsp);
            })
        .onFailure(
            failed -> {
              if (ocsp != null) {
                ocsp.close();
              }
            });
  }

  /**
   * The stapler of {@code enable-ocsp}, or {@code null} (with a warning) when {@code engine} cannot
   * staple: the JDK engine, or an OpenSSL build without OCSP support.
   */
  private static @Nullable OcspStapler ocspStapler(
      Vertx vertx, LiveConfig config, TlsEngine engine, UpstreamAddressGuard guard) {
    if (!OcspContextFactory.supported(engine)) {
      LOG.warn(
          "event=ocsp_stapling_unavailable engine={} detail=\"enable-ocsp needs the openssl engine"
              + " with OCSP support; no OCSP response is fetched or stapled\"",
          engine.logName());
      return null;
    }
    return OcspStapler.start(
        vertx,
        () -> servedCertificates(config.current()),
        Clock.systemUTC(),
        OcspStapler.Timing.DEFAULT,
        guard);
  }

  /**
   * Every certificate set a TLS listener serves from: the configuration's and the Gateway
   * listeners' own.
   */
  private static List<CertificateSet> servedCertificates(RoutingConfig current) {
    List<CertificateSet> sets = new ArrayList<>();
    sets.add(current.certificates());
    for (ListenerRoutes routes : current.routes().listenerRoutes()) {
      CertificateSet own = routes.certificates();
      if (own != null) {
        sets.add(own);
      }
    }
    return sets;
  }

  private static void announce(
      ProxySettings settings, int port, ProxyVerticle.@Nullable HttpsListener tls) {
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
  }

  /** The port the HTTP listener accepts connections on. */
  public int httpPort() {
    return httpPort;
  }

  /** The OCSP stapler of the TLS listeners, or {@code null} when nothing is stapled. */
  @Nullable OcspStapler ocspStapler() {
    return stapler;
  }

  /** The port the HTTPS listener accepts connections on, or 0 when there is none. */
  public int httpsPort() {
    return httpsPort;
  }

  /**
   * Opens and closes listeners for Gateway listeners so that exactly {@code wanted} are open: each
   * {@link ListenerKey.Kind#OPENED} key with whether it speaks TLS. A listener whose protocol
   * changes is closed and opened again. A TLS listener selects its certificates by SNI from its own
   * {@link ListenerRoutes#certificates()}, read at each handshake. A port that cannot be opened is
   * logged and left closed; the others open all the same.
   *
   * @return completes when every change is made or has failed
   */
  public synchronized Future<Void> openedListeners(Map<ListenerKey, Boolean> wanted) {
    for (ListenerKey key : wanted.keySet()) {
      if (key.kind() != ListenerKey.Kind.OPENED) {
        throw new IllegalArgumentException(
            "wanted: " + key + " (expected: listeners opened for Gateway listeners)");
      }
    }
    Map<ListenerKey, Boolean> copy = Map.copyOf(wanted);
    changing = changing.transform(done -> reconcile(copy));
    return changing;
  }

  private synchronized Future<Void> reconcile(Map<ListenerKey, Boolean> wanted) {
    List<Future<?>> changes = new ArrayList<>();
    // Immutable copies of the entries first: a TreeMap reuses the entry objects of what it removes.
    List<Map.Entry<ListenerKey, Opened>> current =
        opened.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    for (Map.Entry<ListenerKey, Opened> entry : current) {
      ListenerKey key = entry.getKey();
      Opened open = entry.getValue();
      Boolean tls = wanted.get(key);
      if (tls == null || tls != open.tls()) {
        opened.remove(key);
        changes.add(close(key, open));
      }
    }
    for (Map.Entry<ListenerKey, Boolean> want : new TreeMap<>(wanted).entrySet()) {
      ListenerKey key = want.getKey();
      if (!opened.containsKey(key)) {
        changes.add(open(key, want.getValue()));
      }
    }
    // Failures are logged where they happen; the next set of changes goes on regardless.
    return Future.join(changes).<Void>mapEmpty().otherwiseEmpty();
  }

  /** The concrete port of an opened listener, or 0 when it is not open. */
  public synchronized int openedPort(ListenerKey key) {
    Opened open = opened.get(key);
    return open == null ? 0 : open.port();
  }

  private Future<Void> open(ListenerKey key, boolean tls) {
    int port;
    HttpServerOptions options = null;
    try {
      port = FreePort.resolve(settings.bindHost(), key.port());
      if (tls) {
        if (engine == null) {
          engine = TlsEngine.AUTO.resolve();
        }
        options =
            TlsServerOptions.of(
                ProxyVerticle.serverOptions(settings),
                engine,
                new SniKeyManager(
                    () -> certificates(key),
                    stapler == null ? CertificateChoiceListener.NONE : stapler),
                stapler != null);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("event=listener_failed listener=\"{}\" error=\"{}\"", key, e.toString());
      return Future.failedFuture(e);
    }
    HttpServerOptions serverOptions = options;
    List<OpenedListenerVerticle> verticles = new java.util.concurrent.CopyOnWriteArrayList<>();
    return vertx
        .deployVerticle(
            () -> {
              OpenedListenerVerticle verticle =
                  new OpenedListenerVerticle(
                      config, settings, key, port, serverOptions, observer, connections, guard);
              verticles.add(verticle);
              return verticle;
            },
            new DeploymentOptions().setInstances(settings.eventLoops()))
        .onSuccess(
            id -> {
              synchronized (this) {
                opened.put(key, new Opened(id, tls, port, verticles));
              }
              LOG.info(
                  "event=listening listener=gateway address={}:{} configured_port={} protocol={}",
                  settings.bindHost(),
                  port,
                  key.port(),
                  tls ? "https" : "http");
            })
        .onFailure(
            e ->
                LOG.warn(
                    "event=listener_failed listener=\"{}\" address={}:{} error=\"{}\"",
                    key,
                    settings.bindHost(),
                    port,
                    e.toString()))
        .mapEmpty();
  }

  private Future<Void> close(ListenerKey key, Opened open) {
    return vertx
        .undeploy(open.deployment())
        .onComplete(
            done ->
                LOG.info(
                    "event=listener_closed listener=gateway address={}:{} configured_port={}",
                    settings.bindHost(),
                    open.port(),
                    key.port()));
  }

  /** The certificates of an opened TLS listener: its own, else the configuration's. */
  private CertificateSet certificates(ListenerKey key) {
    RoutingConfig current = config.current();
    ListenerRoutes routes = current.routes().listenerRoutes(key);
    return routes != null && routes.certificates() != null
        ? routes.certificates()
        : current.certificates();
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
    synchronized (this) {
      for (Opened open : opened.values()) {
        for (OpenedListenerVerticle instance : open.instances()) {
          drained.add(instance.shutdown(timeout));
        }
      }
    }
    return Future.join(drained).mapEmpty();
  }

  /** Stops accepting and closes the listeners and upstream pools. */
  public Future<Void> close() {
    List<Future<Void>> undeployed = new ArrayList<>();
    if (stapler != null) {
      undeployed.add(stapler.close());
    }
    for (String id : deployments) {
      undeployed.add(vertx.undeploy(id));
    }
    synchronized (this) {
      for (Opened open : opened.values()) {
        undeployed.add(vertx.undeploy(open.deployment()));
      }
      opened.clear();
    }
    return Future.all(undeployed).mapEmpty();
  }
}
