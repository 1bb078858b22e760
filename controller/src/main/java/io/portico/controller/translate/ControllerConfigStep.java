package io.portico.controller.translate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.portico.controller.annotations.ResponseHeaderData;
import io.portico.controller.annotations.SnippetAnnotations;
import io.portico.controller.config.ConfigFinding;
import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.ControllerConfig;
import io.portico.controller.snapshot.Kinds;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.snapshot.ObjectVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code controller-config}: the controller ConfigMap ({@code --configmap}) read into the {@link
 * ControllerConfig} every later step reads its defaults from. It runs first.
 *
 * <p>The ConfigMap is read again only when its version changes. When the config in force changes,
 * every Ingress is read again (as when the IngressClasses change), since any of them may take a
 * default from it. Without {@code --configmap}, or while the ConfigMap it names does not exist,
 * every key has its built-in default. Keys that apply at start keep the value the first translation
 * read ({@link TranslationRun#configAtStart()}); a change to one is reported, not applied.
 *
 * <p>A ConfigMap that lets ingress-nginx run snippet annotations ({@code allow-snippet-annotations:
 * "true"}, or {@code annotations-risk-level: Critical}, the level snippets need) gets a notice:
 * Portico never interprets snippets, and {@code --snippet-annotations} decides whether an Ingress
 * carrying one is refused or served without it; no ConfigMap value serves one otherwise. The risk
 * level itself is obeyed when the Ingresses are read: an Ingress carrying an annotation riskier
 * than it is refused, a snippet too when the ConfigMap sets a level below {@code Critical} ({@link
 * io.portico.controller.annotations.AnnotationRisk}).
 */
final class ControllerConfigStep implements TranslationStep {

  /** The reason of the notice on a ConfigMap that would let ingress-nginx run snippets. */
  static final String RISK_NOT_APPLIED = "AnnotationRiskNotApplied";

  static final String UNTRUSTED_PROXY_PROTOCOL = "ProxyProtocolUntrusted";

  /** The reason of the warnings about the ConfigMap {@code add-headers} names. */
  static final String ADD_HEADERS_PROBLEM = "InvalidAddHeaders";

  /**
   * What the last translation read.
   *
   * @param version the version of the ConfigMap read; empty when there was none
   * @param read the ConfigMap's values, before keys that apply at start are held to their start
   *     value
   * @param findings what reading it noticed, on the ConfigMap
   */
  record Read(Optional<ObjectVersion> version, ControllerConfig read, List<Finding> findings) {

    static final Read NONE = new Read(Optional.empty(), ControllerConfig.DEFAULTS, List.of());

    boolean isOf(@Nullable ConfigMap configMap) {
      return configMap == null
          ? version.isEmpty()
          : version.isPresent() && version.get().isVersionOf(configMap);
    }
  }

  @Override
  public String name() {
    return "controller-config";
  }

  @Override
  public void apply(TranslationRun run) {
    Optional<ObjectKey> name = run.settings().configMap();
    ConfigMap configMap = name.map(key -> run.snapshot().get(Kinds.CONFIG_MAP, key)).orElse(null);
    TranslationState state = run.state();
    ControllerConfig before = state.config == null ? null : state.config.inForce();
    Read read =
        state.config != null && state.config.read().isOf(configMap)
            ? state.config.read()
            : read(name, configMap);
    read.findings().forEach(run::report);
    if (name.isPresent()) {
      ObjectRef subject = new ObjectRef("ConfigMap", name.get());
      // Reported on every translation, as the ConfigMap's other findings are.
      for (String notice : riskNotices(read.read(), run.settings().snippetAnnotations())) {
        run.report(new Finding(Finding.Severity.NOTICE, subject, RISK_NOT_APPLIED, notice));
      }
    }

    ControllerConfig inForce = read.read();
    Optional<ControllerConfig> atStart = run.configAtStart();
    if (atStart.isPresent() && name.isPresent()) {
      ObjectRef subject = new ObjectRef("ConfigMap", name.get());
      inForce =
          inForce.keepingStartValues(
              atStart.get(), finding -> run.report(notice(subject, finding)));
    }
    if (name.isPresent()
        && inForce.get(ConfigKeys.USE_PROXY_PROTOCOL)
        && inForce.get(ConfigKeys.PROXY_REAL_IP_CIDR).isEmpty()) {
      run.report(
          new Finding(
              Finding.Severity.WARNING,
              new ObjectRef("ConfigMap", name.get()),
              UNTRUSTED_PROXY_PROTOCOL,
              "use-proxy-protocol: every connection must begin with a PROXY header, but"
                  + " proxy-real-ip-cidr trusts no load balancer, so client addresses stay the"
                  + " load balancer's (expected: proxy-real-ip-cidr naming its addresses)"));
    }
    state.config = new TranslationState.Config(read, inForce);
    run.config(inForce, before != null && !before.equals(inForce));
    name.ifPresent(key -> addHeaders(run, new ObjectRef("ConfigMap", key)));
  }

  /**
   * What is wrong with the ConfigMap {@code add-headers} names, reported on the controller
   * ConfigMap on every translation: that it does not exist, or each entry that is not a header
   * (left out; the others apply). Every route reads its headers through its Ingress, which depends
   * on that ConfigMap; the ConfigMap is also referenced here so that its creation is noticed.
   */
  private static void addHeaders(TranslationRun run, ObjectRef subject) {
    String reference = run.config().get(ConfigKeys.ADD_HEADERS);
    if (reference.isEmpty()) {
      return;
    }
    int slash = reference.indexOf('/');
    ObjectKey key = new ObjectKey(reference.substring(0, slash), reference.substring(slash + 1));
    run.referencedConfigMaps(Set.of(key));
    ConfigMap headers = run.snapshot().get(Kinds.CONFIG_MAP, key);
    String prefix = ConfigKeys.ADD_HEADERS.name() + ": ConfigMap " + reference;
    if (headers == null) {
      run.report(
          Finding.warning(
              subject,
              ADD_HEADERS_PROBLEM,
              prefix + " does not exist; responses carry no header from it"));
      return;
    }
    Map<String, String> data = headers.getData() == null ? Map.of() : headers.getData();
    for (String problem : ResponseHeaderData.addHeaders(data).problems()) {
      run.report(
          Finding.warning(subject, ADD_HEADERS_PROBLEM, prefix + ": " + problem + "; left out"));
    }
  }

  /**
   * The notice for a ConfigMap whose {@code allow-snippet-annotations} or {@code
   * annotations-risk-level} would let ingress-nginx run snippets, which Portico leaves to its own
   * flag; empty when it asks nothing of the kind.
   */
  static List<String> riskNotices(ControllerConfig config, SnippetAnnotations flag) {
    List<String> notices = new ArrayList<>();
    ConfigKeys.RiskLevel level = config.get(ConfigKeys.ANNOTATIONS_RISK_LEVEL);
    List<String> asked = new ArrayList<>();
    if (config.get(ConfigKeys.ALLOW_SNIPPET_ANNOTATIONS)) {
      asked.add(ConfigKeys.ALLOW_SNIPPET_ANNOTATIONS.name() + ": true");
    }
    if (level == ConfigKeys.RiskLevel.CRITICAL) {
      asked.add(ConfigKeys.ANNOTATIONS_RISK_LEVEL.name() + ": " + level.spelling());
    }
    if (!asked.isEmpty()) {
      notices.add(
          String.join(", ", asked)
              + " lets ingress-nginx run snippet annotations; Portico never interprets nginx"
              + " configuration, and "
              + (flag == SnippetAnnotations.REFUSE
                  ? "refuses an Ingress with a snippet annotation (--snippet-annotations=refuse)"
                  : "serves an Ingress with a snippet annotation without the snippet"
                      + " (--snippet-annotations=ignore)"));
    }
    return notices;
  }

  private static Read read(Optional<ObjectKey> name, @Nullable ConfigMap configMap) {
    if (name.isEmpty()) {
      return Read.NONE;
    }
    ObjectRef subject = new ObjectRef("ConfigMap", name.get());
    if (configMap == null) {
      return new Read(
          Optional.empty(),
          ControllerConfig.DEFAULTS,
          List.of(
              Finding.warning(
                  subject,
                  "ConfigMapNotFound",
                  "--configmap names "
                      + subject
                      + ", which does not exist; every key has its built-in default")));
    }
    List<Finding> findings = new ArrayList<>();
    Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
    ControllerConfig config =
        ControllerConfig.read(
            data,
            finding ->
                findings.add(
                    finding.kind() == ConfigFinding.Kind.INVALID_VALUE
                        ? Finding.warning(subject, finding.kind().reason(), finding.message())
                        : notice(subject, finding)));
    return new Read(Optional.of(ObjectVersion.of(configMap)), config, List.copyOf(findings));
  }

  private static Finding notice(ObjectRef subject, ConfigFinding finding) {
    return new Finding(
        Finding.Severity.NOTICE, subject, finding.kind().reason(), finding.message());
  }
}
