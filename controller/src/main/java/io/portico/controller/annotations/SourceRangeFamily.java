package io.portico.controller.annotations;

import io.portico.controller.config.ConfigKey;
import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.SourceRanges;
import io.portico.router.access.SourceRangePolicy;
import io.portico.router.address.CidrSet;
import io.portico.router.policy.ClosedPolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Source ranges: {@code allowlist-source-range} (alias {@code whitelist-source-range}) and {@code
 * denylist-source-range}, comma-separated IPv4 and IPv6 addresses and CIDR blocks, read into a
 * {@link SourceRangePolicy} on every route of the Ingress: a client outside the allow list, or in
 * the deny list, gets 403, before any redirect. Where the Ingress sets no allow (deny) list, the
 * controller ConfigMap's {@code whitelist-source-range} ({@code denylist-source-range}) applies:
 * the annotation replaces the global list, as in ingress-nginx.
 *
 * <p>Fail closed: an annotation value that is not a list of ranges refuses the Ingress
 * (ingress-nginx answers 503 on its locations); an invalid global list makes every route of each
 * Ingress that would use it answer 503 ({@link ClosedPolicy}), with a warning on the Ingress. Never
 * served open.
 */
public final class SourceRangeFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "source-ranges";

  static final String ALLOW = "allowlist-source-range";
  static final String ALLOW_ALIAS = "whitelist-source-range";
  static final String DENY = "denylist-source-range";

  private static final Set<String> ANNOTATIONS = Set.of(ALLOW, ALLOW_ALIAS, DENY);

  private static final String EXPECTED =
      "comma-separated IPv4 or IPv6 addresses or CIDR blocks, e.g. 10.0.0.0/8,2001:db8::/32";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> annotations() {
    return ANNOTATIONS;
  }

  @Override
  public void read(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    Optional<CidrSet> allow = allow(values, context, policy, report);
    Optional<CidrSet> deny =
        ranges(values, DENY, context, ConfigKeys.DENYLIST_SOURCE_RANGE, policy, report);
    if (allow.isEmpty() || deny.isEmpty()) {
      // Refused, or closed: nothing of this Ingress is served open.
      return;
    }
    if (allow.get().isEmpty() && deny.get().isEmpty()) {
      return;
    }
    policy.routeRule(new Rule(new SourceRangePolicy(allow.get(), deny.get())));
  }

  private static Optional<CidrSet> allow(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    // The alias counts only when the canonical name is absent or empty, as in ingress-nginx.
    Optional<String> canonical = values.get(ALLOW).filter(value -> !value.isEmpty());
    if (canonical.isPresent() && values.has(ALLOW_ALIAS)) {
      values.get(ALLOW_ALIAS);
      report.unused(ALLOW_ALIAS, ALLOW + " is set, and wins");
    }
    String name = canonical.isPresent() ? ALLOW : ALLOW_ALIAS;
    return ranges(values, name, context, ConfigKeys.WHITELIST_SOURCE_RANGE, policy, report);
  }

  /**
   * The ranges of annotation {@code name}, else of the ConfigMap's {@code global}; empty when the
   * one that applies does not read: then the Ingress is refused (its annotation) or its routes
   * closed (the ConfigMap's).
   */
  private static Optional<CidrSet> ranges(
      AnnotationValues values,
      String name,
      IngressContext context,
      ConfigKey<SourceRanges> global,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    Optional<String> value = values.get(name).filter(text -> !text.isEmpty());
    if (value.isPresent()) {
      try {
        return Optional.of(CidrSet.parseList(value.get()));
      } catch (IllegalArgumentException e) {
        report.refuse(
            name,
            "\""
                + value.get()
                + "\" (expected: "
                + EXPECTED
                + "): served without it, the backend would be open to every address");
        return Optional.empty();
      }
    }
    SourceRanges configured = context.config().get(global);
    if (configured.invalid().isPresent()) {
      // A refusal needs the annotation on the Ingress; this one is unset, so the routes close.
      String why =
          "the controller ConfigMap's "
              + global.name()
              + ", which applies where "
              + name
              + " is unset, is invalid: "
              + configured.invalid().get();
      report.invalid(name, "(unset)", EXPECTED, why + "; every route answers 503");
      policy.routeRule(new Rule(new ClosedPolicy(why)));
      return Optional.empty();
    }
    return Optional.of(configured.ranges());
  }

  /** The same policy on every route of the Ingress. */
  record Rule(RequestPolicy policy) implements RoutePolicyRule {
    @Override
    public List<RequestPolicy> policies(HostnamePattern host, PathMatch path) {
      return List.of(policy);
    }
  }
}
