package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import io.portico.router.balance.BackendPolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendTls;
import io.portico.router.route.Canaries;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.UpstreamSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an Ingress's annotations ask for, built once per version of the Ingress by its families: the
 * policy of every backend it names, how its rules treat plain HTTP, and the request policies of
 * each of its routes. Immutable; equal annotations give an equal policy, and so equal routes.
 *
 * @param backend balancing and affinity, for every backend the Ingress names
 * @param https how its rules treat plain HTTP and HTTPS
 * @param routeRules the families' per-route request policies, in the order the families ran
 * @param canary present when the Ingress is a canary: its rules only join other Ingresses' rules
 * @param mirror where copies of its requests go, when it has a mirror (never on a canary)
 * @param routing regex paths, host-wide routing annotations and error pages
 * @param upstream how its routes talk to their backends (timeouts, limits, retries, protocol); a
 *     canary's are not used: the rules it joins keep their own
 * @param serviceUpstream whether its rules' backends are their Services' ClusterIP and port rather
 *     than their endpoints ({@code service-upstream})
 */
public record IngressPolicy(
    BackendPolicy backend,
    HttpsRule https,
    List<RoutePolicyRule> routeRules,
    Optional<CanarySpec> canary,
    Optional<MirrorTarget> mirror,
    IngressRouting routing,
    UpstreamSettings upstream,
    boolean serviceUpstream) {

  /** What an Ingress without annotations or TLS hosts gets. */
  public static final IngressPolicy DEFAULT =
      new IngressPolicy(
          BackendPolicy.DEFAULT,
          HttpsRule.NONE,
          List.of(),
          Optional.empty(),
          Optional.empty(),
          IngressRouting.NONE,
          UpstreamSettings.DEFAULT,
          false);

  public IngressPolicy {
    requireNonNull(backend, "backend");
    requireNonNull(https, "https");
    routeRules = List.copyOf(routeRules);
    requireNonNull(canary, "canary");
    requireNonNull(mirror, "mirror");
    requireNonNull(routing, "routing");
    requireNonNull(upstream, "upstream");
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
      if (routeRules.contains(SatisfyFamily.ANY)) {
        // satisfy: any joins checks that several families made.
        more = SatisfyFamily.combine(more);
      }
      policies = policies.with(RoutePolicies.of(more));
    }
    return new Route(
        host,
        path,
        backend.withPolicy(this.backend),
        origin,
        httpsPolicy,
        policies,
        Canaries.NONE,
        Optional.empty(),
        null,
        upstream);
  }

  /** Collects the parts the families read; each part left unset keeps its default. */
  public static final class Builder {
    private BackendPolicy backend = BackendPolicy.DEFAULT;
    private HttpsRule https = HttpsRule.NONE;
    private final List<RoutePolicyRule> routeRules = new ArrayList<>();
    private Optional<CanarySpec> canary = Optional.empty();
    private Optional<MirrorTarget> mirror = Optional.empty();
    private final IngressRouting.Builder routing = new IngressRouting.Builder();
    private UpstreamSettings upstream = UpstreamSettings.DEFAULT;
    private Optional<BackendTls> backendTls = Optional.empty();
    private boolean serviceUpstream;

    private Builder() {}

    /** The routing parts, which several families fill in. */
    public IngressRouting.Builder routing() {
      return routing;
    }

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

    /** Makes the Ingress a canary. */
    public Builder canary(CanarySpec canary) {
      this.canary = Optional.of(canary);
      return this;
    }

    /** Whether a family made the Ingress a canary, for the families that read after it. */
    public boolean isCanary() {
      return canary.isPresent();
    }

    public Builder mirror(MirrorTarget mirror) {
      this.mirror = Optional.of(mirror);
      return this;
    }

    public Builder upstream(UpstreamSettings upstream) {
      this.upstream = requireNonNull(upstream, "upstream");
      return this;
    }

    /**
     * How backends spoken to over TLS are checked ({@code proxy-ssl-*}); applied when the upstream
     * settings speak TLS, whichever family sets them first.
     */
    public Builder backendTls(BackendTls tls) {
      this.backendTls = Optional.of(tls);
      return this;
    }

    /** Sends to the Services' ClusterIP and port rather than their endpoints. */
    public Builder serviceUpstream() {
      this.serviceUpstream = true;
      return this;
    }

    /** The balancing and affinity set so far, for the families that read after it. */
    public BackendPolicy backend() {
      return backend;
    }

    public IngressPolicy build() {
      UpstreamSettings upstream = this.upstream;
      if (backendTls.isPresent() && upstream.protocol().tls()) {
        upstream =
            UpstreamSettings.of(upstream.withProtocol(upstream.protocol(), backendTls.get()));
      }
      // A canary's rules join rules whose paths their main Ingress decides: its own routing
      // annotations (regex paths, rewrites, aliases) are ignored, as the canary family reports.
      IngressRouting ownRouting = canary.isPresent() ? IngressRouting.NONE : routing.build();
      IngressPolicy policy =
          new IngressPolicy(
              backend, https, routeRules, canary, mirror, ownRouting, upstream, serviceUpstream);
      return policy.equals(DEFAULT) ? DEFAULT : policy;
    }
  }
}
