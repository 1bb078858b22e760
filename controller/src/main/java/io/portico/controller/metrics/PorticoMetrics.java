package io.portico.controller.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.portico.controller.annotations.AnnotationVerdict;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.translate.AnnotationUse;
import io.portico.controller.translate.ServedCertificates;
import io.portico.controller.translate.Translation;
import io.portico.router.policy.limit.GlobalRateLimitStats;
import io.portico.tls.TlsKeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Portico's metrics registry, scraped at {@code /metrics}. This class owns the configuration
 * metrics: {@code portico_config_generation}, {@code
 * portico_config_last_success_timestamp_seconds}, {@code portico_translation_duration_seconds},
 * {@code portico_hosts}, {@code portico_routes}, {@code portico_endpoints}, {@code
 * portico_config_warnings} and, in cluster mode, {@code portico_kubernetes_api_up}; the global rate
 * limits' {@code portico_global_rate_limit_failed_open_total} and {@code
 * portico_global_rate_limit_limited_total}; plus the JVM's own.
 */
public final class PorticoMetrics {

  /** The label values of the certificate Portico generates when no default Secret serves. */
  static final ObjectKey GENERATED_DEFAULT = new ObjectKey("", "generated-default");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;
  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong lastSuccessMillis = new AtomicLong();
  private final AtomicLong hosts = new AtomicLong();
  private final AtomicLong routes = new AtomicLong();
  private final AtomicLong endpoints = new AtomicLong();
  private final AtomicLong warnings = new AtomicLong();
  private final Timer translationDuration;
  private final TrafficMetrics traffic = new TrafficMetrics();
  private final AtomicReference<Map<ObjectKey, Instant>> certificateExpiry =
      new AtomicReference<>(Map.of());
  // Replaced whole by each translation, read whole by a scrape: never null.
  private volatile Map<AnnotationUse, Integer> annotationUses = Map.of();

  public PorticoMetrics(Clock clock) {
    this.clock = clock;
    Gauge.builder("portico.config.generation", generation, AtomicLong::get)
        .description("Generation of the configuration serving now; increases with every change")
        .register(registry);
    Gauge.builder(
            "portico.config.last.success.timestamp.seconds",
            lastSuccessMillis,
            m -> m.get() / 1000.0)
        .description("When the last translation succeeded, in seconds since the epoch")
        .register(registry);
    Gauge.builder("portico.hosts", hosts, AtomicLong::get)
        .description("Host patterns with rules")
        .register(registry);
    Gauge.builder("portico.routes", routes, AtomicLong::get)
        .description("Host and path rules")
        .register(registry);
    Gauge.builder("portico.endpoints", endpoints, AtomicLong::get)
        .description("Distinct endpoints the rules route to")
        .register(registry);
    Gauge.builder("portico.config.warnings", warnings, AtomicLong::get)
        .description("Warnings of the last translation")
        .register(registry);
    translationDuration =
        Timer.builder("portico.translation.duration")
            .description("Time to translate the cluster state into a configuration")
            .serviceLevelObjectives(
                Duration.ofMillis(1),
                Duration.ofMillis(5),
                Duration.ofMillis(10),
                Duration.ofMillis(25),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(250),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5))
            .register(registry);
    GlobalRateLimitStats global = GlobalRateLimitStats.shared();
    FunctionCounter.builder(
            "portico.global.rate.limit.failed.open", global, GlobalRateLimitStats::failedOpen)
        .description(
            "Requests let through a global rate limit because memcached failed or was slow")
        .register(registry);
    FunctionCounter.builder(
            "portico.global.rate.limit.limited", global, GlobalRateLimitStats::limited)
        .description("Requests answered with the global rate limit's status")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The registry other components register their meters with. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Records a translation that was published as {@code servingGeneration}. */
  public void translated(Translation translation, long nanos, long servingGeneration) {
    translationDuration.record(nanos, TimeUnit.NANOSECONDS);
    generation.set(servingGeneration);
    lastSuccessMillis.set(clock.millis());
    hosts.set(translation.routes().hostCount());
    routes.set(translation.routes().routeCount());
    endpoints.set(translation.endpointCount());
    warnings.set(translation.warningCount());
    certificateExpiry.set(expiries(translation.certificates()));
    annotationUses = new TreeMap<>(translation.annotations().uses());
  }

  /** When each served certificate expires, by the Secret it came from. */
  private static Map<ObjectKey, Instant> expiries(ServedCertificates certificates) {
    Map<ObjectKey, Instant> out = new TreeMap<>();
    Map<String, TlsKeyPair> pairs = certificates.set().entries();
    certificates
        .sources()
        .forEach(
            (name, source) -> {
              TlsKeyPair pair = pairs.get(name);
              if (pair != null) {
                out.put(source.secret(), pair.notAfter());
              }
            });
    TlsKeyPair defaultPair = certificates.set().defaultPair();
    out.put(certificates.defaultSecret().orElse(GENERATED_DEFAULT), defaultPair.notAfter());
    return out;
  }

  /** Reports whether the Kubernetes API server is reachable (cluster mode only). */
  public void kubernetesApi(BooleanSupplier up) {
    Gauge.builder("portico.kubernetes.api.up", up, u -> u.getAsBoolean() ? 1 : 0)
        .description("1 while every watch is connected to the Kubernetes API server, else 0")
        .register(registry);
  }

  /** The traffic metrics, fed by the data plane. */
  public TrafficMetrics traffic() {
    return traffic;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    StringBuilder out = new StringBuilder(registry.scrape());
    traffic.render(out);
    out.append(
            "# HELP portico_certificate_expiry_timestamp_seconds When a served certificate expires")
        .append(" (the generated default certificate has namespace \"\" and secret \"")
        .append(GENERATED_DEFAULT.name())
        .append("\")\n# TYPE portico_certificate_expiry_timestamp_seconds gauge\n");
    requireNonNull(certificateExpiry.get(), "certificateExpiry")
        .forEach(
            (secret, notAfter) ->
                out.append("portico_certificate_expiry_timestamp_seconds{namespace=\"")
                    .append(secret.namespace())
                    .append("\",secret=\"")
                    .append(secret.name())
                    .append("\"} ")
                    .append(notAfter.getEpochSecond())
                    .append('\n'));
    out.append("# HELP portico_ingress_annotations Owned Ingresses carrying an annotation, by what")
        .append(" became of it (annotations the catalogue does not know count as \"")
        .append(AnnotationVerdict.UNKNOWN_LABEL)
        .append("\")\n# TYPE portico_ingress_annotations gauge\n");
    annotationUses.forEach(
        (use, count) ->
            out.append("portico_ingress_annotations{annotation=\"")
                .append(use.annotation())
                .append("\",state=\"")
                .append(use.state())
                .append("\"} ")
                .append(count)
                .append('\n'));
    return out.toString();
  }
}
