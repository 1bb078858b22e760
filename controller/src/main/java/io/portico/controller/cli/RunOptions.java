package io.portico.controller.cli;

import io.portico.controller.accesslog.AccessLogFormat;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.OperationsSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.balance.AffinityKey;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxySettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags of {@code portico run} (and of {@code portico demo} and {@code portico explain}): one
 * place for their names, defaults and help, so that every mode reads them the same way. Each group
 * of flags is a mixin of its own; {@code --help} lists them group by group, in this order.
 */
public final class RunOptions {

  @Option(
      names = "--manifests",
      paramLabel = "DIR",
      description =
          "Serve the Kubernetes objects in this folder (re-read on change) instead of a cluster.")
  @Nullable Path manifests;

  @Mixin ClusterOptions cluster;

  @Mixin ListenerOptions listeners;

  @Mixin EdgeOptions edge;

  @Mixin TlsOptions tls;

  @Mixin IngressOptions ingress;

  @Mixin GatewayOptions gateway;

  @Mixin UpstreamOptions upstream;

  @Mixin AccessLogOptions accessLog;

  @Mixin OperationsOptions operations;

  /** The folder of manifests, when Portico runs without a cluster. */
  public Optional<Path> manifests() {
    return Optional.ofNullable(manifests);
  }

  /** The kubeconfig file, when one was named. */
  public Optional<Path> kubeconfig() {
    return cluster.kubeconfig();
  }

  public String logLevel() {
    return operations.logLevel;
  }

  /** The key of session-affinity cookies: the file's, or the built-in one. */
  public AffinityKey affinityKey() {
    return upstream.affinityKey();
  }

  /**
   * The settings these flags give a controller.
   *
   * @throws IOException when the kubeconfig cannot be used
   */
  ControllerSettings controllerSettings() throws IOException {
    SourceSettings source =
        manifests != null
            ? new SourceSettings.Manifests(manifests)
            : cluster.settings().withGatewayApi(gateway.gatewayApi);
    return ControllerSettings.builder(source)
        .translator(translatorSettings())
        .proxy(proxySettings())
        .https(httpsSettings())
        .admin(listeners.bind, listeners.adminPort)
        .affinityKey(affinityKey())
        .defaultTlsSecret(defaultTlsSecret())
        .operations(operationsSettings())
        .build();
  }

  TranslatorSettings translatorSettings() {
    return ingress
        .translatorSettings()
        .withGateway(gateway.settings(cluster.publishStatusAddresses));
  }

  ProxySettings proxySettings() {
    return ProxySettings.defaults(listeners.bind, listeners.httpPort)
        .withEventLoops(listeners.eventLoops())
        .withTimeouts(upstream.connectTimeout, upstream.readTimeout, listeners.clientIdleTimeout)
        .withClientTimeouts(edge.clientHeaderTimeout, edge.clientBodyTimeout)
        .withMaxConnections(edge.maxConnections)
        .withEncodedSlashes(edge.allowEncodedSlashes)
        .withH2cPriorKnowledge(edge.h2cPriorKnowledge);
  }

  HttpsSettings httpsSettings() {
    return tls.httpsSettings(listeners.httpsPort);
  }

  /** {@code --default-tls-secret}, parsed. */
  Optional<ObjectKey> defaultTlsSecret() {
    return tls.defaultTlsSecret();
  }

  OperationsSettings operationsSettings() {
    return new OperationsSettings(
        AccessLogFormat.parse(accessLog.format),
        accessLog.query,
        operations.shutdownDelay,
        operations.drainTimeout,
        operations.syncHoldoff,
        operations.syncMaxDelay,
        operations.warmUp);
  }
}
