package io.portico.controller.audit;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.portico.controller.annotations.AnnotationReader;
import io.portico.controller.annotations.SnippetAnnotations;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.Kinds;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.snapshot.SnapshotKind;
import io.portico.controller.translate.Finding;
import io.portico.controller.translate.TlsInputs;
import io.portico.controller.translate.Translation;
import io.portico.controller.translate.Translator;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.balance.AffinityKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Audits the Ingresses of a snapshot: each selected Ingress is translated as Portico's, whatever
 * class it names, and the report says what Portico would make of it.
 *
 * @param ingressClass only the Ingresses of this class (by {@code spec.ingressClassName} or the
 *     legacy annotation; an Ingress without a class when the IngressClass of that name is the
 *     cluster's default); empty for all
 * @param snippets what {@code --snippet-annotations} Portico would run with
 * @param configMap the controller ConfigMap to read, as {@code --configmap} (ingress-nginx's, whose
 *     {@code annotations-risk-level} refuses Ingresses); empty for the built-in defaults
 */
public record Audit(
    Optional<String> ingressClass, SnippetAnnotations snippets, Optional<ObjectKey> configMap) {

  // A class no object names: every selected Ingress is given it, and nothing else is Portico's.
  private static final String AUDITED = "portico.io/audited";
  private static final String LEGACY_CLASS = "kubernetes.io/ingress.class";
  private static final String DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class";
  // Findings already in an Ingress's annotation list, so not repeated as problems.
  private static final Set<String> LISTED =
      Set.of(
          AnnotationReader.REFUSED,
          AnnotationReader.IGNORED,
          AnnotationReader.SNIPPET_IGNORED,
          AnnotationReader.UNKNOWN);

  public Audit {
    requireNonNull(ingressClass, "ingressClass");
    requireNonNull(snippets, "snippets");
    requireNonNull(configMap, "configMap");
  }

  /** The Ingresses of {@code snapshot} this audit selects, with the class each names. */
  public Map<ObjectKey, Optional<String>> selected(ClusterSnapshot snapshot) {
    Map<ObjectKey, Optional<String>> classes = new TreeMap<>();
    for (Ingress ingress : snapshot.ingresses()) {
      String className = className(ingress);
      if (selected(className, snapshot)) {
        classes.put(ObjectKey.of(ingress), Optional.ofNullable(className));
      }
    }
    return classes;
  }

  /** What Portico would do with the Ingresses of {@code snapshot}. */
  public AuditReport run(ClusterSnapshot snapshot, Clock clock) {
    Map<ObjectKey, Optional<String>> classes = new TreeMap<>();
    ClusterSnapshot.Builder audited = ClusterSnapshot.builder();
    for (SnapshotKind<?> kind : Kinds.all()) {
      if (kind != Kinds.INGRESS && kind != Kinds.INGRESS_CLASS) {
        for (HasMetadata object : snapshot.all(kind)) {
          audited.add(object);
        }
      }
    }
    for (Ingress ingress : snapshot.ingresses()) {
      String className = className(ingress);
      if (selected(className, snapshot)) {
        classes.put(ObjectKey.of(ingress), Optional.ofNullable(className));
        audited.add(
            new IngressBuilder(ingress)
                .editOrNewSpec()
                .withIngressClassName(AUDITED)
                .endSpec()
                .build());
      }
    }
    TranslatorSettings settings =
        new TranslatorSettings(
            AUDITED,
            TranslatorSettings.CONTROLLER_NAME,
            false,
            Optional.empty(),
            true,
            configMap,
            snippets);
    Translation translation =
        new Translator(settings, clock, AffinityKey.builtIn(), TlsInputs.generated(clock.instant()))
            .translate(audited.build());
    return report(translation, classes);
  }

  private static AuditReport report(
      Translation translation, Map<ObjectKey, Optional<String>> classes) {
    Map<ObjectKey, List<Finding>> problems = new HashMap<>();
    List<Finding> others = new ArrayList<>();
    for (Finding finding : translation.findings()) {
      boolean aboutIngress =
          finding.subject().kind().equals("Ingress")
              && classes.containsKey(finding.subject().key());
      if (!aboutIngress) {
        others.add(finding);
      } else if (finding.severity() == Finding.Severity.WARNING
          && !LISTED.contains(finding.reason())) {
        problems.computeIfAbsent(finding.subject().key(), k -> new ArrayList<>()).add(finding);
      }
    }
    List<AuditReport.IngressAudit> ingresses = new ArrayList<>();
    classes.forEach(
        (key, className) ->
            ingresses.add(
                new AuditReport.IngressAudit(
                    key,
                    className,
                    translation.annotations().refused().containsKey(key),
                    translation.annotations().of(key),
                    problems.getOrDefault(key, List.of()))));
    return new AuditReport(ingresses, others);
  }

  private boolean selected(@Nullable String className, ClusterSnapshot snapshot) {
    if (ingressClass.isEmpty()) {
      return true;
    }
    if (className != null) {
      return className.equals(ingressClass.get());
    }
    IngressClass named = snapshot.ingressClass(ingressClass.get());
    return named != null && "true".equalsIgnoreCase(annotation(named, DEFAULT_CLASS));
  }

  /** The class an Ingress names, as ingress-nginx and Portico read it; null for none. */
  private static @Nullable String className(Ingress ingress) {
    String field = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
    if (field != null && !field.isEmpty()) {
      return field;
    }
    String legacy = annotation(ingress, LEGACY_CLASS);
    return legacy == null || legacy.isEmpty() ? null : legacy;
  }

  private static @Nullable String annotation(HasMetadata object, String key) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }
}
