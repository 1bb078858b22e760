package io.portico.controller.cli;

import io.fabric8.kubernetes.client.Config;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.source.KubernetesSource;
import io.portico.controller.status.ClusterReporter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The flags of a cluster: how to reach it, what to watch, and what the leader writes back. */
final class ClusterOptions {

  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Kubeconfig to reach the cluster (default: $KUBECONFIG, else ~/.kube/config, else the"
              + " in-cluster service account).")
  @Nullable Path kubeconfig;

  @Option(
      names = "--watch-namespace",
      paramLabel = "NAMESPACE",
      split = ",",
      description = "Watch only these namespaces; repeatable (default: all namespaces).")
  List<String> watchNamespaces = new ArrayList<>();

  @Option(
      names = "--endpoints-api",
      paramLabel = "API",
      defaultValue = "endpointslices",
      description =
          "Where Service endpoints come from: endpointslices, or endpoints for old clusters"
              + " (default: ${DEFAULT-VALUE}).")
  String endpointsApi;

  @Option(
      names = "--sync-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "How long start-up waits for the API server's first answer (default: ${DEFAULT-VALUE}).")
  Duration syncTimeout;

  @Option(
      names = "--election-id",
      paramLabel = "NAME",
      defaultValue = "portico-leader",
      description =
          "Name of the Lease the replicas elect the status writer on (default: ${DEFAULT-VALUE}).")
  String electionId;

  @Option(
      names = "--election-namespace",
      paramLabel = "NAMESPACE",
      description =
          "Namespace of the Lease (default: $POD_NAMESPACE, else the service account's namespace).")
  @Nullable String electionNamespace;

  @Option(
      names = "--publish-service",
      paramLabel = "NAMESPACE/NAME",
      description =
          "Service whose address is written to the status of Portico's Ingresses: its load"
              + " balancer's addresses, else its external IPs, else its cluster IP.")
  @Nullable String publishService;

  @Option(
      names = "--publish-status-address",
      paramLabel = "ADDRESS",
      split = ",",
      description = "Fixed addresses to write to Ingress status instead; repeatable.")
  List<String> publishStatusAddresses = new ArrayList<>();

  @Option(
      names = "--update-status",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "true",
      description = "Write Ingress status (default: ${DEFAULT-VALUE}).")
  boolean updateStatus;

  /** The kubeconfig file, when one was named. */
  Optional<Path> kubeconfig() {
    return Optional.ofNullable(kubeconfig);
  }

  /**
   * The cluster these flags name: the kubeconfig read (or the in-cluster configuration), what to
   * watch, and the leader election of this replica.
   *
   * @throws IOException when the kubeconfig cannot be used
   */
  SourceSettings.Cluster settings() throws IOException {
    Config config;
    if (kubeconfig != null) {
      try {
        config = Config.fromKubeconfig(kubeconfig.toFile());
      } catch (RuntimeException e) {
        throw new IOException(
            "--kubeconfig " + kubeconfig + ": not a usable kubeconfig (" + Errors.describe(e) + ")",
            e);
      }
    } else {
      config = Config.autoConfigure(null);
    }
    return new SourceSettings.Cluster(
        config, watchSettings(), reportingSettings(podNamespace(config), identity()));
  }

  KubernetesSource.Settings watchSettings() {
    KubernetesSource.EndpointsApi api;
    switch (endpointsApi.toLowerCase(Locale.ROOT)) {
      case "endpointslices" -> api = KubernetesSource.EndpointsApi.ENDPOINTSLICES;
      case "endpoints" -> api = KubernetesSource.EndpointsApi.ENDPOINTS;
      default ->
          throw new IllegalArgumentException(
              "--endpoints-api: " + endpointsApi + " (expected: endpointslices or endpoints)");
    }
    return new KubernetesSource.Settings(watchNamespaces, api, syncTimeout);
  }

  ClusterReporter.Settings reportingSettings(String defaultNamespace, String identity) {
    return new ClusterReporter.Settings(
        electionNamespace != null ? electionNamespace : defaultNamespace,
        electionId,
        identity,
        Optional.ofNullable(publishService).map(ObjectKey::parse),
        publishStatusAddresses,
        updateStatus,
        Duration.ofSeconds(15),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2));
  }

  /** The namespace Portico runs in: $POD_NAMESPACE, the service account's, the kubeconfig's. */
  private static String podNamespace(Config config) throws IOException {
    String fromEnv = System.getenv("POD_NAMESPACE");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    if (Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
      return Files.readString(SERVICE_ACCOUNT_NAMESPACE).strip();
    }
    return config.getNamespace() != null ? config.getNamespace() : "default";
  }

  /** This replica's name in the Lease: $POD_NAME, else the host name and a random suffix. */
  private static String identity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod.strip();
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "portico";
    }
    byte[] suffix = new byte[3];
    ThreadLocalRandom.current().nextBytes(suffix);
    return host + "-" + HexFormat.of().formatHex(suffix);
  }
}
