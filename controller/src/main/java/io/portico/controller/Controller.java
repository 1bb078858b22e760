package io.portico.controller;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.portico.controller.accesslog.AccessLog;
import io.portico.controller.accesslog.AccessLogFormat;
import io.portico.controller.admin.AdminServer;
import io.portico.controller.metrics.PorticoMetrics;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.source.KubernetesSource;
import io.portico.controller.source.ManifestParser;
import io.portico.controller.source.ManifestSource;
import io.portico.controller.source.StateSource;
import io.portico.controller.status.ClusterReporter;
import io.portico.controller.sync.ConfigPublisher;
import io.portico.controller.sync.SyncLoop;
import io.portico.controller.translate.TlsInputs;
import io.portico.controller.translate.Translation;
import io.portico.controller.translate.Translator;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.LiveConfig;
import io.portico.router.VertxFactory;
import io.portico.router.balance.AffinityKey;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxyServer;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.proxy.TrafficObserver;
import io.portico.tls.CertificateSet;
import io.portico.tls.TlsKeyPair;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Portico: a source of state, the sync loop that translates it, the data plane that
 * serves it and the admin server that reports on it.
 */
public final class Controller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  /** Where the state comes from. */
  public sealed interface Source permits Source.Manifests, Source.Cluster {

    /** A folder of manifests, re-read on change. */
    record Manifests(Path folder) implements Source {
      public Manifests {
        requireNonNull(folder, "folder");
      }
    }

    /**
     * A Kubernetes API server.
     *
     * @param kubernetes how to reach it
     * @param watch what to watch
     * @param reporting what the leader writes back
     */
    record Cluster(
        Config kubernetes, KubernetesSource.Settings watch, ClusterReporter.Settings reporting)
        implements Source {
      public Cluster {
        requireNonNull(kubernetes, "kubernetes");
        requireNonNull(watch, "watch");
        requireNonNull(reporting, "reporting");
      }
    }
  }

  /**
   * How Portico reports traffic, applies changes and stops.
   *
   * @param accessLog the access-log format, or {@code OFF}
   * @param accessLogQuery whether access-log lines carry query strings
   * @param shutdownDelay how long to keep serving after a stop was asked for, with readiness
   *     already failing, so that load balancers and endpoints drop this replica first
   * @param drainTimeout how long requests in flight may take to finish after that
   * @param syncHoldoff how long the sync loop waits after a change from the Kubernetes API for more
   *     changes, so that a burst (a rollout, {@code kubectl apply} of several objects) becomes one
   *     translation; the manifest folder coalesces its own file events instead
   * @param syncMaxDelay the longest a change waits for its translation while more keep coming
   */
  public record Operations(
      AccessLogFormat accessLog,
      boolean accessLogQuery,
      Duration shutdownDelay,
      Duration drainTimeout,
      Duration syncHoldoff,
      Duration syncMaxDelay) {
    public Operations {
      requireNonNull(accessLog, "accessLog");
      requireNonNull(shutdownDelay, "shutdownDelay");
      requireNonNull(drainTimeout, "drainTimeout");
      requireNonNull(syncHoldoff, "syncHoldoff");
      requireNonNull(syncMaxDelay, "syncMaxDelay");
    }

    /** The default holdoff: see {@code --sync-holdoff}. */
    public static final Duration SYNC_HOLDOFF = Duration.ofMillis(10);

    /** The default cap on a change's wait: see {@code --sync-max-delay}. */
    public static final Duration SYNC_MAX_DELAY = Duration.ofMillis(200);

    /** The default sync timing. */
    public Operations(
        AccessLogFormat accessLog,
        boolean accessLogQuery,
        Duration shutdownDelay,
        Duration drainTimeout) {
      this(accessLog, accessLogQuery, shutdownDelay, drainTimeout, SYNC_HOLDOFF, SYNC_MAX_DELAY);
    }

    /** No access log, no shutdown delay, a 30 s drain: what tests and embedders want. */
    public static Operations defaults() {
      return new Operations(AccessLogFormat.OFF, false, Duration.ZERO, Duration.ofSeconds(30));
    }
  }

  /**
   * What a controller needs to start.
   *
   * @param source where the state comes from
   * @param adminBind the address of the admin listener
   * @param adminPort the admin port, 0 for a free one
   * @param affinityKey the key of session-affinity cookies
   * @param https the HTTPS listener
   * @param defaultTlsSecret {@code --default-tls-secret}; empty for the generated certificate
   */
  public record Settings(
      Source source,
      TranslatorSettings translator,
      ProxySettings proxy,
      String adminBind,
      int adminPort,
      AffinityKey affinityKey,
      HttpsSettings https,
      Optional<ObjectKey> defaultTlsSecret,
      Operations operations) {
    public Settings {
      requireNonNull(operations, "operations");
      requireNonNull(source, "source");
      requireNonNull(translator, "translator");
      requireNonNull(proxy, "proxy");
      requireNonNull(adminBind, "adminBind");
      requireNonNull(affinityKey, "affinityKey");
      requireNonNull(https, "https");
      requireNonNull(defaultTlsSecret, "defaultTlsSecret");
    }

    /** HTTPS on a free port with the defaults, and the generated default certificate. */
    public Settings(
        Source source,
        TranslatorSettings translator,
        ProxySettings proxy,
        String adminBind,
        int adminPort,
        AffinityKey affinityKey) {
      this(
          source,
          translator,
          proxy,
          adminBind,
          adminPort,
          affinityKey,
          HttpsSettings.defaults(0),
          Optional.empty(),
          Operations.defaults());
    }

    /** Settings with the built-in affinity key and HTTPS on a free port. */
    public Settings(
        Source source,
        TranslatorSettings translator,
        ProxySettings proxy,
        String adminBind,
        int adminPort) {
      this(source, translator, proxy, adminBind, adminPort, AffinityKey.builtIn());
    }
  }

  private final Vertx vertx;
  private final LiveConfig live;
  private final StateSource source;
  private final SyncLoop sync;
  private final ProxyServer proxy;
  private final AdminServer admin;
  private final ConfigPublisher publisher;
  private final List<AutoCloseable> resources;
  private final AtomicBoolean stopping;
  private final Operations operations;

  private Controller(
      Vertx vertx,
      LiveConfig live,
      StateSource source,
      SyncLoop sync,
      ProxyServer proxy,
      AdminServer admin,
      ConfigPublisher publisher,
      List<AutoCloseable> resources,
      AtomicBoolean stopping,
      Operations operations) {
    this.stopping = stopping;
    this.operations = operations;
    this.vertx = vertx;
    this.live = live;
    this.source = source;
    this.sync = sync;
    this.proxy = proxy;
    this.admin = admin;
    this.publisher = publisher;
    this.resources = resources;
  }

  /**
   * Starts serving. Returns once the source holds a complete view and the listeners accept
   * connections; the first configuration follows at once (readiness reports it).
   *
   * @throws Exception when the source cannot start or a port cannot be bound; nothing is left
   *     running then
   */
  public static Controller start(Settings settings) throws Exception {
    TlsInputs tls =
        TlsInputs.generated(Instant.now()).withDefaultSecret(settings.defaultTlsSecret());
    TlsKeyPair generated = tls.generatedDefault();
    LOG.info(
        "event=default_certificate_generated subject=\"{}\" not_after={} sha256={}",
        generated.subject(),
        generated.notAfter(),
        generated.fingerprint());
    Vertx vertx = VertxFactory.create(settings.proxy().eventLoops());
    LiveConfig live = new LiveConfig(CertificateSet.of(generated));
    ConfigPublisher publisher = new ConfigPublisher(live);
    Translator translator =
        new Translator(settings.translator(), Clock.systemUTC(), settings.affinityKey(), tls);
    List<AutoCloseable> resources = new ArrayList<>();
    SyncLoop[] loop = new SyncLoop[1];
    Runnable rebuild = () -> loop[0].requestRebuild("objects changed");
    PorticoMetrics metrics = new PorticoMetrics(Clock.systemUTC());
    AtomicBoolean stopping = new AtomicBoolean();
    List<SyncLoop.TranslationListener> listeners = new ArrayList<>();
    listeners.add(publisher::publish);
    listeners.add(
        (translation, nanos) ->
            metrics.translated(translation, nanos, live.current().generation()));
    StateSource source;
    if (settings.source() instanceof Source.Cluster cluster) {
      KubernetesClient client =
          new KubernetesClientBuilder().withConfig(cluster.kubernetes()).build();
      resources.add(client);
      KubernetesSource kubernetes =
          new KubernetesSource(client, cluster.watch(), references(publisher), rebuild);
      metrics.kubernetesApi(kubernetes::apiServerUp);
      source = kubernetes;
      ClusterReporter reporter =
          new ClusterReporter(client, cluster.reporting(), source::snapshot, Clock.systemUTC());
      resources.add(0, reporter);
      listeners.add((translation, nanos) -> reporter.translated(translation));
    } else {
      source =
          new ManifestSource(
              ((Source.Manifests) settings.source()).folder(),
              new ManifestParser(),
              () -> loop[0].requestRebuildNow("manifests changed"));
    }
    resources.add(0, source);
    SyncLoop sync =
        new SyncLoop(
            source::snapshot,
            translator,
            (translation, nanos) -> listeners.forEach(l -> l.translated(translation, nanos)),
            settings.operations().syncHoldoff(),
            settings.operations().syncMaxDelay());
    loop[0] = sync;
    resources.add(0, sync);
    try {
      source.start();
      for (AutoCloseable resource : resources) {
        if (resource instanceof ClusterReporter reporter) {
          reporter.start();
        }
      }
      TrafficObserver observer = metrics.traffic();
      if (settings.operations().accessLog() != AccessLogFormat.OFF) {
        AccessLog accessLog =
            new AccessLog(
                settings.operations().accessLog(),
                settings.operations().accessLogQuery(),
                System.out);
        resources.add(accessLog);
        observer = TrafficObserver.of(metrics.traffic(), accessLog);
      }
      ProxyServer proxy =
          await(ProxyServer.start(vertx, live, settings.proxy(), settings.https(), observer));
      AdminServer admin =
          await(
              AdminServer.start(
                  vertx,
                  settings.adminBind(),
                  settings.adminPort(),
                  live,
                  publisher,
                  metrics,
                  () -> stopping.get() ? "shutting down" : notReadyReason(source, live)));
      sync.start();
      logAffinityKey(settings.affinityKey());
      LOG.info("event=started source={}", describe(settings.source()));
      return new Controller(
          vertx,
          live,
          source,
          sync,
          proxy,
          admin,
          publisher,
          resources,
          stopping,
          settings.operations());
    } catch (Exception e) {
      closeAll(resources);
      vertx.close();
      throw e;
    }
  }

  private static String notReadyReason(StateSource source, LiveConfig live) {
    String sourceReason = source.notReadyReason();
    if (sourceReason != null) {
      return sourceReason;
    }
    return live.current().generation() == 0 ? "waiting for the first configuration" : null;
  }

  /** Relevance for informer callbacks: what the last translation referred to (all, before one). */
  private static KubernetesSource.References references(ConfigPublisher publisher) {
    return new KubernetesSource.References() {
      @Override
      public boolean service(ObjectKey service) {
        Translation latest = publisher.latest();
        return latest == null || latest.referencedServices().contains(service);
      }

      @Override
      public boolean secret(ObjectKey secret) {
        Translation latest = publisher.latest();
        return latest == null || latest.referencedSecrets().contains(secret);
      }
    };
  }

  private static String describe(Source source) {
    if (source instanceof Source.Cluster cluster) {
      return "kubernetes url=" + cluster.kubernetes().getMasterUrl();
    }
    return "manifests directory=" + ((Source.Manifests) source).folder().toAbsolutePath();
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.debug("event=close_failed resource={} error=\"{}\"", resource, e.toString());
      }
    }
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

  /** The port the HTTPS listener accepts connections on. */
  public int httpsPort() {
    return proxy.httpsPort();
  }

  /** The most recent translation (routes, certificates, findings), or {@code null} before it. */
  public Translation latestTranslation() {
    return publisher.latest();
  }

  public int adminPort() {
    return admin.port();
  }

  public LiveConfig live() {
    return live;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Whether this replica writes status and events now (always false without a cluster). */
  public boolean leading() {
    return resources.stream()
        .anyMatch(r -> r instanceof ClusterReporter reporter && reporter.leading());
  }

  /** The source of state, for tests and the admin server. */
  public StateSource source() {
    return source;
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
    closeAll(resources);
    try {
      await(proxy.close().eventually(admin::close).eventually(vertx::close));
    } catch (Exception e) {
      LOG.warn("event=close_failed error=\"{}\"", e.toString());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
