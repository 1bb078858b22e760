package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What reading one Ingress's annotations gave.
 *
 * @param policy what the annotations ask for; not to be served when the verdict refuses
 * @param verdict what became of each annotation
 * @param findings what to report about the Ingress: refusal, ignored, unknown and invalid
 *     annotations
 */
public record AnnotationReading(
    IngressPolicy policy, AnnotationVerdict verdict, List<AnnotationFinding> findings) {

  public AnnotationReading {
    requireNonNull(policy, "policy");
    requireNonNull(verdict, "verdict");
    findings = List.copyOf(findings);
  }

  /** Whether the Ingress must not be served. */
  public boolean refused() {
    return verdict.refused();
  }
}
