package io.portico.controller.settings;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.Config;
import io.portico.controller.source.KubernetesSource;
import io.portico.controller.status.ClusterReporter;
import java.nio.file.Path;

/** Where the state comes from: a folder of manifests or a Kubernetes API server. */
public sealed interface SourceSettings permits SourceSettings.Manifests, SourceSettings.Cluster {

  /** One line for the start-up log, e.g. {@code manifests directory=/srv/portico}. */
  String describe();

  /** A folder of manifests, re-read on change. */
  record Manifests(Path folder) implements SourceSettings {
    public Manifests {
      requireNonNull(folder, "folder");
    }

    @Override
    public String describe() {
      return "manifests directory=" + folder.toAbsolutePath();
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
      implements SourceSettings {
    public Cluster {
      requireNonNull(kubernetes, "kubernetes");
      requireNonNull(watch, "watch");
      requireNonNull(reporting, "reporting");
    }

    @Override
    public String describe() {
      return "kubernetes url=" + kubernetes.getMasterUrl();
    }

    /** The same cluster, watching the Gateway API kinds or not ({@code --gateway-api}). */
    public Cluster withGatewayApi(boolean gatewayApi) {
      return new Cluster(kubernetes, watch.withGatewayApi(gatewayApi), reporting);
    }
  }
}
