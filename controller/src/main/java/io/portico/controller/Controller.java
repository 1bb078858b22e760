package io.portico.controller;

import static java.util.Objects.requireNonNull;

import io.portico.controller.admin.AdminServer;
import io.portico.controller.source.ManifestParser;
import io.portico.controller.source.ManifestSource;
import io.portico.controller.sync.ConfigPublisher;
import io.portico.controller.sync.SyncLoop;
import io.portico.controller.translate.ObjectKey;
import io.portico.controller.translate.TlsInputs;
import io.portico.controller.translate.Translation;
import io.portico.controller.translate.Translator;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.LiveConfig;
import io.portico.router.VertxFactory;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxyServer;
import io.portico.router.proxy.ProxySettings;
import io.portico.tls.CertificateSet;
import io.portico.tls.TlsKeyPair;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Portico: a source of state, the sync loop that translates it, the data plane that
 * serves it and the admin server that reports on it.
 */
public final class Controller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
  private static final Duration HOLDOFF = Duration.ofMillis(20);
  private static final Duration MAX_DELAY = Duration.ofMillis(200);

  /**
   * What a controller needs to start.
   *
   * @param manifests the folder to serve
   * @param adminBind the address of the admin listener
   * @param adminPort the admin port, 0 for a free one
   * @param https the HTTPS listener
   * @param defaultTlsSecret {@code --default-tls-secret}; empty for the generated certificate
   */
  public record Settings(
      Path manifests,
      TranslatorSettings translator,
      ProxySettings proxy,
      String adminBind,
      int adminPort,
      HttpsSettings https,
      Optional<ObjectKey> defaultTlsSecret) {
    public Settings {
      requireNonNull(manifests, "manifests");
      requireNonNull(translator, "translator");
      requireNonNull(proxy, "proxy");
      requireNonNull(adminBind, "adminBind");
      requireNonNull(https, "https");
      requireNonNull(defaultTlsSecret, "defaultTlsSecret");
    }

    /** HTTPS on a free port with the default settings, and the generated default certificate. */
    public Settings(
        Path manifests,
        TranslatorSettings translator,
        ProxySettings proxy,
        String adminBind,
        int adminPort) {
      this(
          manifests,
          translator,
          proxy,
          adminBind,
          adminPort,
          HttpsSettings.defaults(0),
          Optional.empty());
    }
  }

  private final Vertx vertx;
  private final LiveConfig live;
  private final ManifestSource source;
  private final SyncLoop sync;
  private final ProxyServer proxy;
  private final AdminServer admin;
  private final ConfigPublisher publisher;

  private Controller(
      Vertx vertx,
      LiveConfig live,
      ManifestSource source,
      SyncLoop sync,
      ProxyServer proxy,
      AdminServer admin,
      ConfigPublisher publisher) {
    this.vertx = vertx;
    this.live = live;
    this.source = source;
    this.sync = sync;
    this.proxy = proxy;
    this.admin = admin;
    this.publisher = publisher;
  }

  /**
   * Starts serving the manifest folder. Returns once the listeners accept connections; the first
   * configuration follows at once (readiness reports it).
   *
   * @throws Exception when the folder cannot be read or a port cannot be bound; nothing is left
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
    Translator translator = new Translator(settings.translator(), Clock.systemUTC(), tls);
    SyncLoop[] loop = new SyncLoop[1];
    ManifestSource source =
        new ManifestSource(
            settings.manifests(),
            new ManifestParser(),
            () -> loop[0].requestRebuild("manifests changed"));
    SyncLoop sync =
        new SyncLoop(source::snapshot, translator, publisher::publish, HOLDOFF, MAX_DELAY);
    loop[0] = sync;
    try {
      source.start();
      ProxyServer proxy = await(ProxyServer.start(vertx, live, settings.proxy(), settings.https()));
      AdminServer admin =
          await(
              AdminServer.start(
                  vertx,
                  settings.adminBind(),
                  settings.adminPort(),
                  live,
                  publisher,
                  () ->
                      live.current().generation() == 0
                          ? "waiting for the first configuration"
                          : null));
      sync.start();
      LOG.info(
          "event=started source=manifests directory={}", settings.manifests().toAbsolutePath());
      return new Controller(vertx, live, source, sync, proxy, admin, publisher);
    } catch (Exception e) {
      sync.close();
      source.close();
      vertx.close();
      throw e;
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

  /** The manifest files that currently fail to parse, with the reason. */
  public java.util.Map<Path, String> manifestErrors() {
    return source.errors();
  }

  /** The names of the manifest files currently read. */
  public java.util.Set<String> manifestFiles() {
    return source.files();
  }

  @Override
  public void close() {
    sync.close();
    source.close();
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
