package io.portico.router.balance;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * How a backend is balanced as one Ingress uses it: part of the backend's value, so two Ingresses
 * with different policies on one Service port get separate balancers, and equal tables still
 * compare equal.
 *
 * @param loadBalancing how new requests are spread over the ready endpoints
 * @param affinity cookie session affinity; empty when requests are not sticky
 */
public record BackendPolicy(LoadBalancing loadBalancing, Optional<CookieAffinity> affinity) {

  /** Round robin, no affinity: what a backend without annotations gets. */
  public static final BackendPolicy DEFAULT =
      new BackendPolicy(LoadBalancing.ROUND_ROBIN, Optional.empty());

  public BackendPolicy {
    requireNonNull(loadBalancing, "loadBalancing");
    requireNonNull(affinity, "affinity");
  }

  public static BackendPolicy of(LoadBalancing loadBalancing, CookieAffinity affinity) {
    return new BackendPolicy(loadBalancing, Optional.of(affinity));
  }

  public static BackendPolicy of(LoadBalancing loadBalancing) {
    return new BackendPolicy(loadBalancing, Optional.empty());
  }

  public boolean isDefault() {
    return equals(DEFAULT);
  }

  /**
   * The non-default settings, as the annotations spell them: {@code load-balance=least_request
   * affinity=cookie(mode=balanced name=INGRESSCOOKIE)}; empty for the default policy.
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    if (loadBalancing != LoadBalancing.ROUND_ROBIN) {
      out.append("load-balance=").append(loadBalancing);
    }
    affinity.ifPresent(
        a ->
            out.append(out.length() == 0 ? "" : " ")
                .append("affinity=cookie(")
                .append(a)
                .append(')'));
    return out.toString();
  }
}
