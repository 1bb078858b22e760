package io.portico.controller.sync;

import static java.util.Objects.requireNonNull;

import io.portico.controller.config.ClientAddressConfig;
import io.portico.controller.config.ControllerConfig;
import io.portico.controller.translate.Finding;
import io.portico.controller.translate.Translation;
import io.portico.router.LiveConfig;
import io.portico.router.RoutingConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Publishes translations to the data plane, the first listener of the sync loop: swaps the routes
 * and certificates into the {@link LiveConfig} the listeners serve from, and tells operators what
 * changed: one summary line per translation, each finding once when it appears and once when it
 * goes away, not on every translation while it persists, and the controller config when it changes.
 */
public final class ConfigPublisher implements TranslationListener {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigPublisher.class);

  /**
   * When a generation started serving.
   *
   * @param generation the generation
   * @param at the moment of the swap that published it
   */
  public record Published(long generation, Instant at) {}

  private final LiveConfig live;
  private final Clock clock;
  private volatile @Nullable Translation latest;
  private volatile @Nullable Published published;
  private Set<Finding> reported = Set.of();
  private ControllerConfig reportedConfig = ControllerConfig.DEFAULTS;

  public ConfigPublisher(LiveConfig live) {
    this(live, Clock.systemUTC());
  }

  /**
   * @param clock tells when each generation is published
   */
  public ConfigPublisher(LiveConfig live, Clock clock) {
    this.live = requireNonNull(live, "live");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Publishes a translation; called from the sync thread only. */
  @Override
  public void translated(Translation translation, long translationNanos) {
    long before = live.current().generation();
    RoutingConfig serving =
        live.publish(
            translation.routes(),
            translation.certificates().set(),
            ClientAddressConfig.rules(translation.config()));
    if (serving.generation() != before) {
      published = new Published(serving.generation(), clock.instant());
    }
    latest = translation;
    reportFindings(translation.findings());
    if (!translation.config().equals(reportedConfig)) {
      reportedConfig = translation.config();
      LOG.info("event=controller_config_applied set=\"{}\"", reportedConfig);
    }
    LOG.info(
        "event=translated generation={} changed={} ingresses={} refused={} hosts={} routes={} endpoints={} tls_names={} warnings={} took_ms={}",
        serving.generation(),
        serving.routes() == translation.routes()
            && serving.certificates() == translation.certificates().set(),
        translation.ownedIngresses().size(),
        translation.annotations().refused().size(),
        translation.routes().hostCount(),
        translation.routes().routeCount(),
        translation.endpointCount(),
        translation.certificates().set().size(),
        translation.warningCount(),
        String.format("%.1f", translationNanos / 1e6));
  }

  /**
   * When the latest generation was published, or {@code null} before the first. Read it before
   * {@link LiveConfig#current()}: the generation serving is then this one or, while a publish is
   * under way, a newer one.
   */
  public @Nullable Published published() {
    return published;
  }

  /** The most recent translation, or {@code null} before the first. */
  public @Nullable Translation latest() {
    return latest;
  }

  private void reportFindings(List<Finding> findings) {
    Set<Finding> current = new HashSet<>(findings);
    for (Finding finding : findings) {
      if (!reported.contains(finding)) {
        LOG.atLevel(finding.severity() == Finding.Severity.WARNING ? Level.WARN : Level.INFO)
            .log(
                "event=finding severity={} kind={} namespace={} name={} reason={} message=\"{}\"",
                finding.severity(),
                finding.subject().kind(),
                finding.subject().key().namespace(),
                finding.subject().key().name(),
                finding.reason(),
                finding.message());
      }
    }
    for (Finding gone : reported) {
      if (!current.contains(gone)) {
        LOG.info(
            "event=finding_resolved kind={} namespace={} name={} reason={}",
            gone.subject().kind(),
            gone.subject().key().namespace(),
            gone.subject().key().name(),
            gone.reason());
      }
    }
    reported = current;
  }
}
