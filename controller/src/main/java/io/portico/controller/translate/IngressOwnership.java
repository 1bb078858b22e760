package io.portico.controller.translate;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.portico.controller.snapshot.ClusterSnapshot;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decides which Ingresses are Portico's.
 *
 * <ul>
 *   <li>An Ingress names its class in {@code spec.ingressClassName}, or in the legacy {@code
 *       kubernetes.io/ingress.class} annotation when the field is empty.
 *   <li>A named class is Portico's when an IngressClass of that name has {@code spec.controller:
 *       portico.io/ingress-controller}; when no IngressClass of that name exists, when the name
 *       equals {@code --ingress-class}.
 *   <li>An Ingress without a class is Portico's when one of Portico's IngressClasses carries {@code
 *       ingressclass.kubernetes.io/is-default-class: "true"}, or with {@code
 *       --watch-ingress-without-class}.
 * </ul>
 */
final class IngressOwnership {

  static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";
  static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

  private final ClusterSnapshot snapshot;
  private final TranslatorSettings settings;
  private final boolean ownsDefaultClass;

  IngressOwnership(ClusterSnapshot snapshot, TranslatorSettings settings) {
    this.snapshot = snapshot;
    this.settings = settings;
    this.ownsDefaultClass =
        snapshot.ingressClasses().stream()
            .anyMatch(
                c -> isOurs(c) && "true".equalsIgnoreCase(annotation(c, DEFAULT_CLASS_ANNOTATION)));
  }

  boolean owns(Ingress ingress) {
    String className = className(ingress);
    if (className == null) {
      return ownsDefaultClass || settings.watchIngressWithoutClass();
    }
    IngressClass ingressClass = snapshot.ingressClass(className);
    if (ingressClass != null) {
      return isOurs(ingressClass);
    }
    return className.equals(settings.ingressClass());
  }

  /** The class an Ingress asks for, or {@code null} when it names none. */
  static @Nullable String className(Ingress ingress) {
    String field = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
    if (field != null && !field.isEmpty()) {
      return field;
    }
    String legacy = annotation(ingress, LEGACY_CLASS_ANNOTATION);
    return legacy == null || legacy.isEmpty() ? null : legacy;
  }

  private boolean isOurs(IngressClass ingressClass) {
    return ingressClass.getSpec() != null
        && settings.controllerName().equals(ingressClass.getSpec().getController());
  }

  private static @Nullable String annotation(
      io.fabric8.kubernetes.api.model.HasMetadata object, String key) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }
}
