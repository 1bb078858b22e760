package io.portico.controller.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.source.KubernetesSource;
import io.portico.controller.source.ManifestParser;
import io.portico.controller.status.ClusterReporter;
import io.portico.router.proxy.ProxySettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Starts controllers against the fabric8 mock API server, with short leader-election times. */
public final class ClusterHarness {

  private ClusterHarness() {}

  /**
   * The Lease timing of test replicas: a Lease of whole seconds (as the Lease stores it), short
   * enough for a test to outlast, with room after the renew deadline for a write to finish.
   */
  public record Election(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    /** A 4 s Lease, renewed every 200 ms, written to for 2 s after each renewal. */
    public static final Election SHORT =
        new Election(Duration.ofSeconds(4), Duration.ofSeconds(2), Duration.ofMillis(200));
  }

  /** The User-Agent a replica started here sends, to tell its calls apart in the mock's log. */
  public static String userAgent(String identity) {
    return "portico-replica/" + identity;
  }

  /** A controller reaching the API server at {@code config}, publishing {@code publishService}. */
  public static Controller start(Config config, String identity, Optional<ObjectKey> publishService)
      throws Exception {
    return start(config, identity, publishService, KubernetesSource.EndpointsApi.ENDPOINTSLICES);
  }

  public static Controller start(
      Config config,
      String identity,
      Optional<ObjectKey> publishService,
      KubernetesSource.EndpointsApi endpointsApi)
      throws Exception {
    return start(config, identity, publishService, endpointsApi, List.of());
  }

  /** A controller that watches only {@code namespaces} (all when empty). */
  public static Controller start(
      Config config,
      String identity,
      Optional<ObjectKey> publishService,
      KubernetesSource.EndpointsApi endpointsApi,
      List<String> namespaces)
      throws Exception {
    return start(
        config, identity, publishService, List.of(), endpointsApi, namespaces, Election.SHORT);
  }

  /**
   * One of several replicas, calling with its own {@link #userAgent}: it publishes {@code
   * publishService}'s address, or the fixed {@code statusAddresses} when there are any.
   */
  public static Controller replica(
      Config config,
      String identity,
      Optional<ObjectKey> publishService,
      List<String> statusAddresses,
      Election election)
      throws Exception {
    return start(
        new ConfigBuilder(config).withUserAgent(userAgent(identity)).build(),
        identity,
        publishService,
        statusAddresses,
        KubernetesSource.EndpointsApi.ENDPOINTSLICES,
        List.of(),
        election);
  }

  private static Controller start(
      Config config,
      String identity,
      Optional<ObjectKey> publishService,
      List<String> statusAddresses,
      KubernetesSource.EndpointsApi endpointsApi,
      List<String> namespaces,
      Election election)
      throws Exception {
    return Controller.start(
        ControllerSettings.builder(
                new SourceSettings.Cluster(
                    config,
                    new KubernetesSource.Settings(namespaces, endpointsApi, Duration.ofSeconds(20)),
                    new ClusterReporter.Settings(
                        "portico",
                        "portico-leader",
                        identity,
                        publishService,
                        statusAddresses,
                        true,
                        election.leaseDuration(),
                        election.renewDeadline(),
                        election.retryPeriod())))
            .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
            .admin("127.0.0.1", 0)
            .build());
  }

  /** The mock's client configuration, pointed at another port (a relay in front of it). */
  public static Config via(Config config, int port) {
    // fabric8 retries a lost watch after 1 s, doubling up to 32 s: a test outage of a few seconds
    // on a loaded machine could leave the next retry further away than a test waits. A tenth of
    // that keeps the same backoff, scaled to at most 3.2 s.
    return new ConfigBuilder(config)
        .withMasterUrl("https://127.0.0.1:" + port)
        .withWatchReconnectInterval(100)
        .build();
  }

  /** Creates (or replaces) every object in the YAML text. */
  public static void apply(KubernetesClient client, String yaml) throws Exception {
    for (HasMetadata object : new ManifestParser().parse("test", yaml)) {
      if (object.getMetadata().getNamespace() == null && namespaced(object)) {
        object.getMetadata().setNamespace("default");
      }
      client.resource(object).createOr(existing -> existing.update());
    }
  }

  private static boolean namespaced(HasMetadata object) {
    return !java.util.Set.of("IngressClass", "GatewayClass", "Namespace")
        .contains(object.getKind());
  }
}
