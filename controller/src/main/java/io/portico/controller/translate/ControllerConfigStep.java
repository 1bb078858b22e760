package io.portico.controller.translate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.portico.controller.config.ConfigFinding;
import io.portico.controller.config.ControllerConfig;
import io.portico.controller.snapshot.Kinds;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.snapshot.ObjectVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 */
final class ControllerConfigStep implements TranslationStep {

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

    ControllerConfig inForce = read.read();
    Optional<ControllerConfig> atStart = run.configAtStart();
    if (atStart.isPresent() && name.isPresent()) {
      ObjectRef subject = new ObjectRef("ConfigMap", name.get());
      inForce =
          inForce.keepingStartValues(
              atStart.get(), finding -> run.report(notice(subject, finding)));
    }
    state.config = new TranslationState.Config(read, inForce);
    run.config(inForce, before != null && !before.equals(inForce));
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
