package io.portico.controller;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.portico.controller.config.ControllerConfig;
import io.portico.controller.metrics.PorticoMetrics;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.source.KubernetesSource;
import io.portico.controller.source.ManifestParser;
import io.portico.controller.source.ManifestSource;
import io.portico.controller.source.StateSource;
import io.portico.controller.status.ClusterReporter;
import io.portico.controller.status.StatusDocuments;
import io.portico.controller.sync.ConfigPublisher;
import io.portico.controller.sync.SyncLoop;
import io.portico.controller.sync.TranslationListener;
import io.portico.controller.sync.TranslationListeners;
import io.portico.controller.translate.TlsInputs;
import io.portico.controller.translate.Translation;
import io.portico.controller.translate.Translator;
import io.portico.router.LiveConfig;
import io.portico.router.proxy.ProxyServer;
import io.portico.tls.CertificateSet;
import io.portico.tls.TlsKeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change pipeline, wired in one place in the order a change flows:
 *
 * <pre>
 * StateSource  -----------> SyncLoop ----------> Translator --------> TranslationListeners
 * KubernetesSource or        one thread; waits    TranslationSteps,    1. ConfigPublisher: the
 * ManifestSource: keeps      a holdoff, then      in order, over the      LiveConfig swap and the
 * a ClusterSnapshot and      reads the latest     snapshot; pure          summary log
 * tells the sync loop        snapshot                                  2. PorticoMetrics
 * (ChangeListener)                                                     3. ClusterReporter (in a
 *                                                                         cluster): status, Events
 * </pre>
 *
 * The data plane reads the {@link #live() LiveConfig} the publisher swaps; the admin server reads
 * the publisher's latest translation. A new listener is one more entry in the list {@link #create}
 * builds; a new kind of object, a registration in {@code snapshot.Kinds} and a watch in {@link
 * KubernetesSource}; a new translation concern, a step in {@code translate.TranslationSteps}.
 */
public final class ChangePipeline implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChangePipeline.class);

  private final LiveConfig live;
  private final ConfigPublisher publisher;
  private final StateSource source;
  private final SyncLoop sync;
  // In a cluster only: the leader's status and events, and the client the two share.
  private final @Nullable ClusterReporter reporter;
  private final @Nullable KubernetesClient client;
  private final OpenedListeners openedListeners;
  private final StatusDocuments statusDocuments;
  // The controller ConfigMap as the first translation read it.
  private final CompletableFuture<ControllerConfig> firstConfig;

  private ChangePipeline(
      LiveConfig live,
      ConfigPublisher publisher,
      StateSource source,
      SyncLoop sync,
      @Nullable ClusterReporter reporter,
      @Nullable KubernetesClient client,
      OpenedListeners openedListeners,
      StatusDocuments statusDocuments,
      CompletableFuture<ControllerConfig> firstConfig) {
    this.live = live;
    this.publisher = publisher;
    this.source = source;
    this.sync = sync;
    this.reporter = reporter;
    this.client = client;
    this.openedListeners = openedListeners;
    this.statusDocuments = statusDocuments;
    this.firstConfig = firstConfig;
  }

  /** Builds every stage for {@code settings}; starts none of them. */
  public static ChangePipeline create(ControllerSettings settings, PorticoMetrics metrics) {
    requireNonNull(settings, "settings");
    requireNonNull(metrics, "metrics");
    // What serves TLS before the first translation, and whenever no Secret gives a certificate.
    TlsInputs tls =
        TlsInputs.generated(Instant.now()).withDefaultSecret(settings.defaultTlsSecret());
    logGenerated(tls.generatedDefault());
    LiveConfig live = new LiveConfig(CertificateSet.of(tls.generatedDefault()));
    ConfigPublisher publisher = new ConfigPublisher(live);
    Translator translator =
        new Translator(settings.translator(), Clock.systemUTC(), settings.affinityKey(), tls);

    // The listeners, in the order they hear of each translation: the swap comes first.
    List<TranslationListener> listeners = new ArrayList<>();
    listeners.add(publisher);

    // The source; in a cluster, also the reporter that writes status and events back.
    StateSource source;
    ClusterReporter reporter = null;
    KubernetesClient client = null;
    if (settings.source() instanceof SourceSettings.Cluster cluster) {
      client = new KubernetesClientBuilder().withConfig(cluster.kubernetes()).build();
      // The translator reads the controller ConfigMap; the source watches the same one.
      KubernetesSource kubernetes =
          new KubernetesSource(
              client,
              cluster.watch().withConfigMap(settings.translator().configMap()),
              new LatestReferences(publisher));
      metrics.kubernetesApi(kubernetes::apiServerUp);
      reporter =
          new ClusterReporter(client, cluster.reporting(), kubernetes::snapshot, Clock.systemUTC());
      source = kubernetes;
      // Right after the swap: what the new translation refers to decides relevance from now on.
      listeners.add((translation, nanos) -> kubernetes.translationPublished());
    } else {
      SourceSettings.Manifests manifests = (SourceSettings.Manifests) settings.source();
      source = new ManifestSource(manifests.folder(), new ManifestParser());
    }

    CompletableFuture<ControllerConfig> firstConfig = new CompletableFuture<>();
    listeners.add((translation, nanos) -> firstConfig.complete(translation.config()));
    OpenedListeners openedListeners = new OpenedListeners();
    listeners.add(openedListeners);
    listeners.add(
        (translation, nanos) ->
            metrics.translated(translation, nanos, live.current().generation()));
    if (reporter != null) {
      ClusterReporter statusAndEvents = reporter;
      listeners.add((translation, nanos) -> statusAndEvents.translated(translation));
    }

    // The sync loop between the source and the translator.
    SyncLoop sync =
        new SyncLoop(
            source::snapshot,
            translator,
            TranslationListeners.of(listeners),
            settings.operations().syncHoldoff(),
            settings.operations().syncMaxDelay());
    ClusterReporter published = reporter;
    StatusDocuments statusDocuments =
        new StatusDocuments(
            () ->
                published == null
                    ? List.of()
                    : ClusterReporter.gatewayAddresses(published.publishedAddresses()),
            Clock.systemUTC());
    return new ChangePipeline(
        live,
        publisher,
        source,
        sync,
        reporter,
        client,
        openedListeners,
        statusDocuments,
        firstConfig);
  }

  /**
   * Starts the source, which returns once it holds a complete view and tells the sync loop of every
   * change from then on; then the reporter's election; then the sync loop, whose first translation
   * follows at once.
   *
   * @throws Exception when the source cannot start; the caller closes the pipeline then
   */
  public void start() throws Exception {
    source.start(sync);
    if (reporter != null) {
      reporter.start();
    }
    sync.start();
  }

  /**
   * The controller ConfigMap's values as the first translation read them, which the keys that apply
   * at start keep while Portico runs; waits at most {@code wait} for that translation (it follows
   * {@link #start} at once), and gives the defaults, with a warning, when it has not come.
   */
  public ControllerConfig configAtStart(Duration wait) {
    try {
      return firstConfig.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      LOG.warn(
          "event=config_at_start_missing waited_ms={} detail=\"the listeners start with the"
              + " defaults of the ConfigMap keys that apply at start\"",
          wait.toMillis());
      return ControllerConfig.DEFAULTS;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ControllerConfig.DEFAULTS;
    }
  }

  /**
   * Lets the data plane open and close the listeners of Gateway listener ports, from the latest
   * translation on.
   */
  public void attach(ProxyServer proxy) {
    openedListeners.attach(proxy);
  }

  /**
   * What {@code GET /status} answers: the status Portico writes (in a cluster) or would write
   * (manifests mode) for every object whose status it manages, from the latest translation.
   */
  public String statusDocuments() {
    return statusDocuments.render(publisher.latest(), source.snapshot());
  }

  /** What the data plane serves: the routes and certificates of the latest translation. */
  public LiveConfig live() {
    return live;
  }

  /** The first listener: it swaps each translation into {@link #live()} and keeps the latest. */
  public ConfigPublisher publisher() {
    return publisher;
  }

  public StateSource source() {
    return source;
  }

  /** Whether this replica writes status and events now (always false without a cluster). */
  public boolean leading() {
    return reporter != null && reporter.leading();
  }

  /**
   * Why the pipeline does not serve a complete configuration yet, or {@code null} when it does: the
   * source's reason, else the wait for the first translation.
   */
  public @Nullable String notReadyReason() {
    String sourceReason = source.notReadyReason();
    if (sourceReason != null) {
      return sourceReason;
    }
    return live.current().generation() == 0 ? "waiting for the first configuration" : null;
  }

  /** Stops the stages, the sync loop first, so that nothing translates while the rest stops. */
  @Override
  public void close() {
    close(sync);
    close(source);
    close(reporter);
    close(client);
  }

  private static void close(@Nullable AutoCloseable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception e) {
      LOG.debug("event=close_failed resource={} error=\"{}\"", resource, e.toString());
    }
  }

  private static void logGenerated(TlsKeyPair generated) {
    LOG.info(
        "event=default_certificate_generated subject=\"{}\" not_after={} sha256={}",
        generated.subject(),
        generated.notAfter(),
        generated.fingerprint());
  }

  /**
   * Relevance for informer callbacks: what the latest translation refers to; everything before the
   * first.
   */
  private static final class LatestReferences implements KubernetesSource.References {
    private final ConfigPublisher publisher;

    LatestReferences(ConfigPublisher publisher) {
      this.publisher = publisher;
    }

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

    @Override
    public boolean configMap(ObjectKey configMap) {
      Translation latest = publisher.latest();
      return latest == null || latest.referencedConfigMaps().contains(configMap);
    }
  }
}
