package io.portico.controller.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.portico.controller.annotations.SnippetAnnotations;
import io.portico.controller.audit.Audit;
import io.portico.controller.audit.AuditReport;
import io.portico.controller.audit.ClusterReader;
import io.portico.controller.audit.GatewayConversion;
import io.portico.controller.audit.GatewayExport;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.source.ChangeListener;
import io.portico.controller.source.ManifestParser;
import io.portico.controller.source.ManifestSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portico audit}: what Portico would do with the Ingresses a team runs today, whatever their
 * class, read once from a folder or from the cluster (list calls only: it writes nothing and
 * watches nothing). Exit code 0 when every Ingress would be served, 1 when one would be refused, 2
 * when the objects cannot be read.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Show what Portico would do with your Ingresses, before it serves them: each",
      "annotation's fate, the Ingresses it would refuse and why, and other problems.",
      "Reads --manifests DIR, or the cluster (read-only: list calls only)."
    })
final class AuditCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--manifests",
      paramLabel = "DIR",
      description = "Audit the Kubernetes objects in this folder instead of a cluster.")
  Path manifests;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "kubeconfig of the cluster to audit (default: the usual kubeconfig lookup).")
  Path kubeconfig;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description = "Audit only this namespace's Ingresses (default: every namespace).")
  String namespace;

  @Option(
      names = "--ingress-class",
      paramLabel = "CLASS",
      description =
          "Audit only the Ingresses of this class, e.g. nginx (default: every Ingress, whatever"
              + " its class).")
  String ingressClass;

  @Option(
      names = "--snippet-annotations",
      paramLabel = "refuse|ignore",
      defaultValue = "refuse",
      converter = IngressOptions.SnippetAnnotationsConverter.class,
      description = "As Portico would run with it (default: ${DEFAULT-VALUE}).")
  SnippetAnnotations snippetAnnotations;

  @Option(
      names = "--configmap",
      paramLabel = "NAMESPACE/NAME",
      description =
          "The ingress-nginx controller ConfigMap, read as Portico's --configmap: its"
              + " annotations-risk-level refuses Ingresses as ingress-nginx does (default: none,"
              + " built-in defaults).")
  String configMap;

  @Option(
      names = "--output",
      paramLabel = "text|json",
      defaultValue = "text",
      description = "text for people, json for scripts (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(
      names = "--to-gateway",
      description =
          "Print the Gateway API objects equivalent to the Ingresses, as YAML for kubectl apply;"
              + " what has no equivalent is named in comments (the summary goes to stderr).")
  boolean toGateway;

  @Option(
      names = "--gateway-class",
      paramLabel = "NAME",
      defaultValue = "portico",
      description =
          "With --to-gateway: the Gateways' gatewayClassName (default: ${DEFAULT-VALUE}).")
  String gatewayClass;

  @Option(
      names = "--gateway-namespace",
      paramLabel = "NS",
      description =
          "With --to-gateway: the Gateways' namespace (default: their Ingresses' namespace when"
              + " they share one, else default).")
  String gatewayNamespace;

  @Option(
      names = "--gateway-channel",
      paramLabel = "standard|experimental",
      defaultValue = "standard",
      description =
          "With --to-gateway: experimental also writes fields of the experimental channel"
              + " (sessionPersistence) (default: ${DEFAULT-VALUE}).")
  String gatewayChannel;

  @Override
  public Integer call() {
    Logging.configure("warn");
    PrintWriter err = spec.commandLine().getErr();
    if (!output.equals("text") && !output.equals("json")) {
      err.println("audit: --output " + output + " (expected: text or json)");
      return 2;
    }
    if (!gatewayChannel.equals("standard") && !gatewayChannel.equals("experimental")) {
      err.println(
          "audit: --gateway-channel " + gatewayChannel + " (expected: standard or experimental)");
      return 2;
    }
    if (toGateway && output.equals("json")) {
      err.println("audit: --to-gateway prints YAML; --output json is for the report");
      return 2;
    }
    if (manifests != null && (kubeconfig != null || namespace != null)) {
      err.println(
          "audit: --manifests reads a folder; --kubeconfig and --namespace are for a cluster");
      return 2;
    }
    Optional<ObjectKey> configMapKey;
    try {
      configMapKey = Optional.ofNullable(configMap).map(text -> ObjectKey.parse(text.strip()));
    } catch (IllegalArgumentException e) {
      err.println("audit: --configmap: " + e.getMessage());
      return 2;
    }
    ClusterSnapshot snapshot;
    boolean complete = true;
    try {
      if (manifests != null) {
        ManifestSource source = new ManifestSource(manifests, new ManifestParser());
        try {
          source.start(ChangeListener.NONE);
          snapshot = source.snapshot();
          for (Map.Entry<Path, String> error : source.errors().entrySet()) {
            err.println("audit: " + error.getKey() + " not read: " + error.getValue());
            complete = false;
          }
        } finally {
          source.close();
        }
      } else {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config()).build()) {
          snapshot = new ClusterReader(client, Optional.ofNullable(namespace), configMapKey).read();
        }
      }
    } catch (Exception e) {
      err.println("audit: cannot read the Ingresses: " + Errors.describe(e));
      return 2;
    }
    Audit audit = new Audit(Optional.ofNullable(ingressClass), snippetAnnotations, configMapKey);
    if (toGateway) {
      GatewayExport export =
          new GatewayConversion(
                  gatewayClass,
                  Optional.ofNullable(gatewayNamespace),
                  gatewayChannel.equals("experimental"))
              .convert(snapshot, audit.selected(snapshot));
      PrintWriter out = spec.commandLine().getOut();
      out.print(export.yaml());
      out.flush();
      err.println("audit: " + export.summary());
      err.flush();
      return complete ? 0 : 2;
    }
    AuditReport report =
        new Audit(Optional.ofNullable(ingressClass), snippetAnnotations, configMapKey)
            .run(snapshot, Clock.systemUTC());
    PrintWriter out = spec.commandLine().getOut();
    out.print(output.equals("json") ? report.json().encodePrettily() + "\n" : report.text());
    out.flush();
    if (!complete) {
      return 2;
    }
    return report.anyRefused() ? 1 : 0;
  }

  private Config config() {
    if (kubeconfig == null) {
      return Config.autoConfigure(null);
    }
    try {
      return Config.fromKubeconfig(kubeconfig.toFile());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--kubeconfig " + kubeconfig + ": not a usable kubeconfig (" + Errors.describe(e) + ")",
          e);
    }
  }
}
