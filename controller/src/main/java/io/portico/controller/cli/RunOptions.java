package io.portico.controller.cli;

import io.portico.controller.Controller;
import io.portico.controller.accesslog.AccessLogFormat;
import io.portico.controller.source.KubernetesSource;
import io.portico.controller.status.ClusterReporter;
import io.portico.controller.translate.ObjectKey;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.balance.AffinityKey;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The flags of {@code portico run} (and {@code portico demo}): one place for their names, defaults
 * and help, so that every mode reads them the same way.
 */
public final class RunOptions {

  @Option(
      names = "--manifests",
      paramLabel = "DIR",
      description =
          "Serve the Kubernetes objects in this folder (re-read on change) instead of a cluster.")
  Path manifests;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Kubeconfig to reach the cluster (default: $KUBECONFIG, else ~/.kube/config, else the"
              + " in-cluster service account).")
  Path kubeconfig;

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
  String electionNamespace;

  @Option(
      names = "--publish-service",
      paramLabel = "NAMESPACE/NAME",
      description =
          "Service whose address is written to the status of Portico's Ingresses: its load"
              + " balancer's addresses, else its external IPs, else its cluster IP.")
  String publishService;

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

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "0.0.0.0",
      description = "Address the listeners bind (default: ${DEFAULT-VALUE}, all interfaces).")
  String bind;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "Plain HTTP port; 0 picks a free port and logs it (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--https-port",
      paramLabel = "PORT",
      defaultValue = "8443",
      description = "HTTPS port; 0 picks a free port and logs it (default: ${DEFAULT-VALUE}).")
  int httpsPort;

  @Option(
      names = "--https-redirect-port",
      paramLabel = "PORT",
      description =
          "Port named in redirects from plain HTTP to HTTPS, left out when 443; 0 means the"
              + " --https-port itself (default: 443; portico demo: 0).")
  Integer httpsRedirectPort;

  @Option(
      names = "--hsts",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "true",
      description =
          "Send Strict-Transport-Security on HTTPS responses of TLS hosts (default: ${DEFAULT-VALUE}).")
  boolean hsts;

  @Option(
      names = "--default-tls-secret",
      paramLabel = "NAMESPACE/NAME",
      description =
          "kubernetes.io/tls Secret served to clients no host certificate matches (default: a"
              + " self-signed certificate generated at start-up).")
  String defaultTlsSecret;

  @Option(
      names = "--admin-port",
      paramLabel = "PORT",
      defaultValue = "10254",
      description =
          "Admin port for /healthz, /readyz and /routes; 0 picks a free port (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(
      names = "--event-loops",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Event loops serving traffic; 0 means one per CPU core (default: ${DEFAULT-VALUE}).")
  int eventLoops;

  @Option(
      names = "--ingress-class",
      paramLabel = "NAME",
      defaultValue = "portico",
      description =
          "Ingresses naming this class are Portico's even without an IngressClass object (default: ${DEFAULT-VALUE}).")
  String ingressClass;

  @Option(
      names = "--controller-class",
      paramLabel = "NAME",
      defaultValue = TranslatorSettings.CONTROLLER_NAME,
      description =
          "The spec.controller of the IngressClasses Portico serves (default: ${DEFAULT-VALUE}).")
  String controllerClass;

  @Option(
      names = "--watch-ingress-without-class",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "false",
      description = "Serve Ingresses that name no class (default: ${DEFAULT-VALUE}).")
  boolean watchIngressWithoutClass;

  @Option(
      names = "--default-backend",
      paramLabel = "NAMESPACE/SERVICE[:PORT]",
      description = "Service that answers requests no rule matches (default: Portico's own 404).")
  String defaultBackend;

  @Option(
      names = "--upstream-connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Time to connect to an endpoint (default: ${DEFAULT-VALUE}).")
  Duration upstreamConnectTimeout;

  @Option(
      names = "--upstream-read-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "Time without a byte from the backend before the request fails with 504 (default: ${DEFAULT-VALUE}).")
  Duration upstreamReadTimeout;

  @Option(
      names = "--client-idle-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "Time an idle client connection is kept open (default: ${DEFAULT-VALUE}).")
  Duration clientIdleTimeout;

  @Option(
      names = "--client-header-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "Time a client has to send a whole request head, from its first byte (HTTP/1.x: 408,"
              + " then close) (default: ${DEFAULT-VALUE}).")
  Duration clientHeaderTimeout;

  @Option(
      names = "--client-body-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "Longest a client may leave its request body without a byte while Portico reads it"
              + " (408, or a reset once the response started) (default: ${DEFAULT-VALUE}).")
  Duration clientBodyTimeout;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Most client connections open at once in this process, over all listeners; more are"
              + " closed as they come; 0 means no cap (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--allow-encoded-slashes",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "false",
      description =
          "Accept %2F in request paths, for backends that need it; a backend that decodes it"
              + " before routing can then be reached outside the rule's path"
              + " (default: ${DEFAULT-VALUE}).")
  boolean allowEncodedSlashes;

  @Option(
      names = "--h2c-prior-knowledge",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "false",
      description =
          "Speak HTTP/2 on the plain port to clients that start with its preface (gRPC without"
              + " TLS); the HTTP/1.1 Upgrade: h2c path is refused either way"
              + " (default: ${DEFAULT-VALUE}).")
  boolean h2cPriorKnowledge;

  @Option(
      names = "--allow-external-name-services",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "true",
      description =
          "Forward to ExternalName Services; never to an address only Portico could reach"
              + " (loopback, link-local, its own) (default: ${DEFAULT-VALUE}).")
  boolean allowExternalNameServices;

  @Option(
      names = "--affinity-key-file",
      paramLabel = "FILE",
      converter = AffinityKeyConverter.class,
      description =
          "File whose bytes (at least 16; 32 random ones are best) key the session-affinity"
              + " cookies; every replica needs the same file (default: a built-in key, which"
              + " anyone can reproduce).")
  AffinityKey affinityKey;

  @Option(
      names = "--access-log",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "One line per request on standard output: text, json or off (default: ${DEFAULT-VALUE}).")
  String accessLog;

  @Option(
      names = "--access-log-query",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "false",
      description =
          "Include query strings in access-log lines; they may hold tokens (default: ${DEFAULT-VALUE}).")
  boolean accessLogQuery;

  @Option(
      names = "--shutdown-delay",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "On SIGTERM, keep serving this long with readiness failing, so endpoints drop this"
              + " replica first (default: ${DEFAULT-VALUE}).")
  Duration shutdownDelay;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "Then stop accepting and give requests in flight this long to finish (default:"
              + " ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(
      names = "--sync-holdoff",
      paramLabel = "DURATION",
      defaultValue = "10ms",
      converter = DurationConverter.class,
      description =
          "After a change from the Kubernetes API, wait this long for more before translating, so"
              + " a burst becomes one translation (default: ${DEFAULT-VALUE}).")
  Duration syncHoldoff;

  @Option(
      names = "--sync-max-delay",
      paramLabel = "DURATION",
      defaultValue = "200ms",
      converter = DurationConverter.class,
      description =
          "The longest a change waits for its translation while more keep coming (default:"
              + " ${DEFAULT-VALUE}).")
  Duration syncMaxDelay;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      defaultValue = "info",
      description = "Log level: error, warn, info, debug or trace (default: ${DEFAULT-VALUE}).")
  String logLevel;

  /** The folder of manifests, when Portico runs without a cluster. */
  public Optional<Path> manifests() {
    return Optional.ofNullable(manifests);
  }

  public String bind() {
    return bind;
  }

  public int adminPort() {
    return adminPort;
  }

  public String logLevel() {
    return logLevel;
  }

  /** The kubeconfig file, when one was named. */
  public Optional<Path> kubeconfig() {
    return Optional.ofNullable(kubeconfig);
  }

  KubernetesSource.Settings watchSettings() {
    KubernetesSource.EndpointsApi api;
    switch (endpointsApi.toLowerCase(java.util.Locale.ROOT)) {
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

  /** The key of session-affinity cookies: the file's, or the built-in one. */
  public AffinityKey affinityKey() {
    return affinityKey != null ? affinityKey : AffinityKey.builtIn();
  }

  Controller.Operations operations() {
    return new Controller.Operations(
        AccessLogFormat.parse(accessLog),
        accessLogQuery,
        shutdownDelay,
        drainTimeout,
        syncHoldoff,
        syncMaxDelay);
  }

  TranslatorSettings translatorSettings() {
    return new TranslatorSettings(
        ingressClass,
        controllerClass,
        watchIngressWithoutClass,
        Optional.ofNullable(defaultBackend).map(TranslatorSettings.ServiceRef::parse),
        allowExternalNameServices);
  }

  /** {@code --default-tls-secret}, parsed. */
  Optional<ObjectKey> defaultTlsSecret() {
    return Optional.ofNullable(defaultTlsSecret).map(ObjectKey::parse);
  }

  HttpsSettings httpsSettings() {
    return HttpsSettings.defaults(httpsPort)
        .withRedirectPort(
            httpsRedirectPort == null ? HttpsSettings.STANDARD_PORT : httpsRedirectPort)
        .withHsts(hsts);
  }

  ProxySettings proxySettings() {
    int loops = eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    return ProxySettings.defaults(bind, httpPort)
        .withEventLoops(loops)
        .withTimeouts(upstreamConnectTimeout, upstreamReadTimeout, clientIdleTimeout)
        .withClientTimeouts(clientHeaderTimeout, clientBodyTimeout)
        .withMaxConnections(maxConnections)
        .withEncodedSlashes(allowEncodedSlashes)
        .withH2cPriorKnowledge(h2cPriorKnowledge);
  }
}
