package io.portico.controller.annotations;

import io.portico.router.access.BasicAuthPolicy;
import io.portico.router.access.ExternalAuthPolicy;
import io.portico.router.access.SatisfyAnyPolicy;
import io.portico.router.access.SourceRangePolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code satisfy}: {@code all} (the default) asks a client to pass every access check of the route
 * (source ranges and authentication); {@code any}, as nginx's {@code satisfy any}, lets a client in
 * when the source ranges admit it or when it authenticates ({@link SatisfyAnyPolicy}). With {@code
 * any}, the route's source-range policy and its one authentication policy (basic or external) are
 * combined when the route is built; a route with only one of them is unchanged, and one with both
 * basic and external auth keeps asking for everything (stricter than nginx, never looser). A value
 * other than {@code all} or {@code any} is reported and {@code all} applies, the stricter.
 */
public final class SatisfyFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "satisfy";

  static final String SATISFY = "satisfy";

  /** The rule that marks an Ingress with {@code satisfy: any}; it adds no policy by itself. */
  static final RoutePolicyRule ANY = new AnyRule();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> annotations() {
    return Set.of(SATISFY);
  }

  @Override
  public void read(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    Optional<String> value = values.get(SATISFY).filter(v -> !v.isEmpty());
    if (value.isEmpty() || value.get().equals("all")) {
      return;
    }
    if (!value.get().equals("any")) {
      report.invalid(SATISFY, "\"" + value.get() + "\"", "all or any", "using all");
      return;
    }
    if (values.has(BasicAuthFamily.TYPE) && values.has(ExternalAuthFamily.URL)) {
      report.invalid(
          SATISFY,
          "\"any\"",
          "one authentication (basic or external) with source ranges",
          "with both, every check applies, as with all");
    }
    policy.routeRule(ANY);
  }

  /**
   * The policies of a route of an Ingress with {@code satisfy: any}: its source ranges and its one
   * authentication policy replaced by a {@link SatisfyAnyPolicy}; unchanged unless it has exactly
   * one of each.
   */
  static List<RequestPolicy> combine(List<RequestPolicy> policies) {
    List<SourceRangePolicy> ranges = new ArrayList<>();
    List<RequestPolicy> authentications = new ArrayList<>();
    for (RequestPolicy policy : policies) {
      if (policy instanceof SourceRangePolicy range) {
        ranges.add(range);
      } else if (policy instanceof BasicAuthPolicy || policy instanceof ExternalAuthPolicy) {
        authentications.add(policy);
      }
    }
    if (ranges.size() != 1 || authentications.size() != 1) {
      return policies;
    }
    List<RequestPolicy> combined = new ArrayList<>();
    for (RequestPolicy policy : policies) {
      if (policy == ranges.get(0)) {
        combined.add(new SatisfyAnyPolicy(ranges.get(0), authentications.get(0)));
      } else if (policy != authentications.get(0)) {
        combined.add(policy);
      }
    }
    return combined;
  }

  /** Marks {@code satisfy: any}. */
  private record AnyRule() implements RoutePolicyRule {
    @Override
    public List<RequestPolicy> policies(HostnamePattern host, PathMatch path) {
      return List.of();
    }
  }
}
