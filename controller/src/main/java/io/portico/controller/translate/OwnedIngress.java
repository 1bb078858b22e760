package io.portico.controller.translate;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.snapshot.ObjectVersion;
import java.util.Comparator;

/**
 * An Ingress that is Portico's, and what its rules gave. It keeps the Ingress's version, not the
 * Ingress itself: a later snapshot may hold another copy of the same version.
 *
 * @param version the version of the Ingress the part was made from
 * @param part what its rules gave
 * @param hasTls whether it has a {@code spec.tls} section and is served (a refused Ingress's
 *     certificates are not, nor a canary's, whose rules take the main Ingress's TLS)
 */
record OwnedIngress(ObjectVersion version, IngressRules.Part part, boolean hasTls) {

  /** Processing order, which also decides conflicts: creation time, then namespace/name. */
  static final Comparator<OwnedIngress> OLDEST_FIRST =
      (a, b) -> {
        int byAge = a.part().created().compareTo(b.part().created());
        return byAge != 0 ? byAge : a.part().key().compareTo(b.part().key());
      };

  static OwnedIngress of(Ingress ingress, IngressRules.Part part) {
    // A canary's TLS section is not used: the main Ingress's applies to the rules it joins.
    boolean hasTls =
        ingress.getSpec() != null
            && ingress.getSpec().getTls() != null
            && !ingress.getSpec().getTls().isEmpty()
            && part.refusal().isEmpty()
            && !part.canary();
    return new OwnedIngress(ObjectVersion.of(ingress), part, hasTls);
  }

  ObjectKey key() {
    return part.key();
  }
}
