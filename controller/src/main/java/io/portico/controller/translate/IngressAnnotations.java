package io.portico.controller.translate;

import io.portico.controller.annotations.AnnotationVerdict;
import io.portico.controller.snapshot.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What became of the annotations of every owned Ingress: for {@code /routes}, {@code explain},
 * Events, status and the {@code portico_ingress_annotations} metric. Immutable.
 *
 * @param verdicts each owned Ingress that has annotations under {@code portico.io/} or {@code
 *     nginx.ingress.kubernetes.io/}, with what became of them
 * @param refused the owned Ingresses not served because of an annotation
 * @param uses how many owned Ingresses carry each annotation in each state
 */
public record IngressAnnotations(
    Map<ObjectKey, AnnotationVerdict> verdicts,
    Map<ObjectKey, RefusedIngress> refused,
    Map<AnnotationUse, Integer> uses) {

  /** No owned Ingress has annotations. */
  public static final IngressAnnotations NONE =
      new IngressAnnotations(Map.of(), Map.of(), Map.of());

  public IngressAnnotations {
    verdicts = Map.copyOf(verdicts);
    refused = Map.copyOf(refused);
    uses = Map.copyOf(uses);
  }

  /** The verdict of one Ingress; {@link AnnotationVerdict#NONE} when it has no annotations. */
  public AnnotationVerdict of(ObjectKey ingress) {
    return verdicts.getOrDefault(ingress, AnnotationVerdict.NONE);
  }

  /** The refusal of one Ingress, when it is refused. */
  public Optional<RefusedIngress> refusal(ObjectKey ingress) {
    return Optional.ofNullable(refused.get(ingress));
  }

  /** The refused Ingresses, by key. */
  public List<RefusedIngress> refusedInOrder() {
    return new ArrayList<>(new TreeMap<>(refused).values());
  }
}
