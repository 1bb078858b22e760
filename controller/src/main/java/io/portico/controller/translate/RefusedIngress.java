package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.controller.annotations.AnnotationVerdict;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.router.route.HostnamePattern;
import java.util.List;

/**
 * An Ingress that is Portico's but not served, because an annotation refuses it (fail closed: one
 * Portico does not honour that governs access or protection, a snippet, a canary that cannot be
 * read). Nothing of it serves: no rules, no default backend, no certificates, no address in its
 * status.
 *
 * @param ingress the Ingress
 * @param hosts the hosts its rules name, for explanations of what would have matched
 * @param annotations what became of each of its annotations; the refusing ones are {@link
 *     AnnotationVerdict.State#REFUSED}
 */
public record RefusedIngress(
    ObjectKey ingress, List<HostnamePattern> hosts, AnnotationVerdict annotations) {

  public RefusedIngress {
    requireNonNull(ingress, "ingress");
    hosts = List.copyOf(hosts);
    requireNonNull(annotations, "annotations");
  }

  /** The annotations that refuse it. */
  public List<AnnotationVerdict.Entry> refusing() {
    return annotations.in(AnnotationVerdict.State.REFUSED);
  }
}
