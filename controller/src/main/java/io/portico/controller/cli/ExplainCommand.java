package io.portico.controller.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.portico.controller.explain.ExplainedRequest;
import io.portico.controller.explain.Explainer;
import io.portico.controller.explain.Explanation;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.source.ChangeListener;
import io.portico.controller.source.KubernetesSource;
import io.portico.controller.source.ManifestParser;
import io.portico.controller.source.ManifestSource;
import io.portico.controller.source.StateSource;
import io.portico.controller.translate.TlsInputs;
import io.portico.controller.translate.Translation;
import io.portico.controller.translate.Translator;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code portico explain URL}: reads the state once (a folder with {@code --manifests}, else the
 * cluster), translates it exactly as {@code run} would, and explains what happens to the URL. Exit
 * code 0 when a rule or default backend answers, 1 when nothing matches.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "Explain which Ingress, rule and backend a URL gets, and why the other rules do not match.",
      "With --header and --cookie, which backend a rule with canaries sends the request to.",
      "Reads --manifests DIR, or the cluster. Takes every flag of 'portico run'."
    })
final class ExplainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "e.g. http://app.test/app1/x")
  String url;

  @Option(
      names = "--header",
      paramLabel = "NAME:VALUE",
      description = "A request header, for canary rules (repeatable).")
  List<String> headers = new ArrayList<>();

  @Option(
      names = "--cookie",
      paramLabel = "NAME=VALUE",
      description = "A request cookie, for canary rules (repeatable).")
  List<String> cookies = new ArrayList<>();

  @Mixin RunOptions options;

  @Override
  public Integer call() throws Exception {
    Logging.configure("warn");
    Translation translation;
    try {
      translation = translateOnce();
    } catch (Exception e) {
      spec.commandLine().getErr().println("explain: cannot read the state: " + Errors.describe(e));
      return 2;
    }
    Explanation explanation;
    try {
      explanation = Explainer.of(translation).explain(url, ExplainedRequest.of(headers, cookies));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("explain: " + e.getMessage());
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(explanation.text());
    out.flush();
    return explanation.matched() ? 0 : 1;
  }

  private Translation translateOnce() throws Exception {
    ControllerSettings settings = options.controllerSettings();
    StateSource source;
    KubernetesClient client = null;
    if (settings.source() instanceof SourceSettings.Cluster cluster) {
      client = new KubernetesClientBuilder().withConfig(cluster.kubernetes()).build();
      // The controller ConfigMap the translator reads, listed with the rest.
      source =
          new KubernetesSource(
              client,
              cluster.watch().withConfigMap(settings.translator().configMap()),
              allReferenced());
    } else {
      source =
          new ManifestSource(
              ((SourceSettings.Manifests) settings.source()).folder(), new ManifestParser());
    }
    try {
      source.start(ChangeListener.NONE);
      ClusterSnapshot snapshot = source.snapshot();
      TlsInputs tls =
          TlsInputs.generated(Instant.now()).withDefaultSecret(settings.defaultTlsSecret());
      return new Translator(settings.translator(), Clock.systemUTC(), settings.affinityKey(), tls)
          .translate(snapshot);
    } finally {
      source.close();
      if (client != null) {
        client.close();
      }
    }
  }

  private static KubernetesSource.References allReferenced() {
    return new KubernetesSource.References() {
      @Override
      public boolean service(ObjectKey service) {
        return true;
      }

      @Override
      public boolean secret(ObjectKey secret) {
        return true;
      }

      @Override
      public boolean configMap(ObjectKey configMap) {
        return true;
      }
    };
  }
}
