package io.portico.controller.annotations;

import io.portico.controller.config.ConfigKeys;
import io.portico.router.balance.BackendPolicy;
import java.util.Optional;
import java.util.Set;

/**
 * {@code service-upstream}: the backends of the Ingress's rules are their Services' ClusterIP and
 * port, one endpoint each, instead of the Services' endpoints, so that kube-proxy (or whatever
 * serves ClusterIPs) chooses the pod. The annotation, else the controller ConfigMap's {@code
 * service-upstream}, else off, as in ingress-nginx.
 *
 * <p>With one endpoint per backend there is no pod to pin a session to: cookie affinity set on the
 * same Ingress is turned off, and {@code affinity} reported unused, so that nobody counts on sticky
 * sessions that cannot stick.
 */
public final class ServiceUpstreamFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "service-upstream";

  static final String SERVICE_UPSTREAM = "service-upstream";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> annotations() {
    return Set.of(SERVICE_UPSTREAM);
  }

  @Override
  public void read(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    boolean on = context.config().get(ConfigKeys.SERVICE_UPSTREAM);
    Optional<String> value = values.get(SERVICE_UPSTREAM);
    if (value.isPresent()) {
      Optional<Boolean> read = Booleans.parse(value.get());
      if (read.isPresent()) {
        on = read.get();
      } else {
        report.invalid(
            SERVICE_UPSTREAM, value.get(), Booleans.EXPECTED, "using " + (on ? "true" : "false"));
      }
    }
    if (!on) {
      return;
    }
    policy.serviceUpstream();
    BackendPolicy backend = policy.backend();
    if (backend.affinity().isPresent()) {
      policy.backend(BackendPolicy.of(backend.loadBalancing()));
      report.unused(
          "affinity",
          "service-upstream sends every request to the Service's ClusterIP, which leaves no"
              + " endpoint to pin a session to: affinity is off");
    }
  }
}
