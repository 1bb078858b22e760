package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import io.portico.router.balance.BackendPolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.route.Backend;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import java.util.ArrayList;
import java.util.List;

/**
 * What an Ingress's annotations ask for, built once per version of the Ingress by its families: the
 * policy of every backend it names, how its rules treat plain HTTP, and the request policies of
 * each of its routes. Immutable; equal annotations give an equal policy, and so equal routes.
 *
 * @param backend balancing and affinity, for every backend the Ingress names
 * @param https how its rules treat plain HTTP and HTTPS
 * @param routeRules the families' per-route request policies, in the order the families ran
 */
public record IngressPolicy(
    BackendPolicy backend, HttpsRule https, List<RoutePolicyRule> routeRules) {

  /** What an Ingress without annotations or TLS hosts gets. */
  public static final IngressPolicy DEFAULT =
      new IngressPolicy(BackendPolicy.DEFAULT, HttpsRule.NONE, List.of());

  public IngressPolicy {
    requireNonNull(backend, "backend");
    requireNonNull(https, "https");
    routeRules = List.copyOf(routeRules);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The HTTPS policy of this Ingress's route on {@code host} and {@code path}. */
  public HttpsPolicy https(HostnamePattern host, PathMatch path) {
    return https.policy(host, path);
  }

  /**
   * The route of a rule of this Ingress: the backend with this Ingress's backend policy, the HTTPS
   * policy of the host, and the request policies of every rule for this host and path.
   */
  public Route route(HostnamePattern host, PathMatch path, Backend backend, RouteOrigin origin) {
    HttpsPolicy httpsPolicy = https(host, path);
    RoutePolicies policies = httpsPolicy.requestPolicies();
    if (!routeRules.isEmpty()) {
      List<RequestPolicy> more = new ArrayList<>();
      for (RoutePolicyRule rule : routeRules) {
        more.addAll(rule.policies(host, path));
      }
      policies = policies.with(RoutePolicies.of(more));
    }
    return new Route(host, path, backend.withPolicy(this.backend), origin, httpsPolicy, policies);
  }

  /** Collects the parts the families read; each part left unset keeps its default. */
  public static final class Builder {
    private BackendPolicy backend = BackendPolicy.DEFAULT;
    private HttpsRule https = HttpsRule.NONE;
    private final List<RoutePolicyRule> routeRules = new ArrayList<>();

    private Builder() {}

    public Builder backend(BackendPolicy backend) {
      this.backend = requireNonNull(backend, "backend");
      return this;
    }

    public Builder https(HttpsRule https) {
      this.https = requireNonNull(https, "https");
      return this;
    }

    /** Adds per-route request policies; rules run in the order added within a phase. */
    public Builder routeRule(RoutePolicyRule rule) {
      routeRules.add(requireNonNull(rule, "rule"));
      return this;
    }

    public IngressPolicy build() {
      IngressPolicy policy = new IngressPolicy(backend, https, routeRules);
      return policy.equals(DEFAULT) ? DEFAULT : policy;
    }
  }
}
