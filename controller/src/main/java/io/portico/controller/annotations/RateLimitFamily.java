package io.portico.controller.annotations;

import io.portico.controller.config.ConfigKeys;
import io.portico.router.address.CidrSet;
import io.portico.router.policy.limit.LocalRateLimitPolicy;
import io.portico.router.policy.limit.RateLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Local rate limits: {@code limit-rps}, {@code limit-rpm}, {@code limit-burst-multiplier} and
 * {@code limit-allowlist} (or its alias {@code limit-whitelist}), as ingress-nginx reads them: the
 * counts are per client address and per Ingress (its routes share them), kept by each replica on
 * its own; a request over a limit gets the ConfigMap's {@code limit-req-status-code} (503). A limit
 * that cannot be read refuses the Ingress: served without it, the backend would take every request.
 */
public final class RateLimitFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "ratelimit";

  private static final Set<String> ANNOTATIONS =
      Set.of(
          "limit-allowlist", "limit-burst-multiplier", "limit-rpm", "limit-rps", "limit-whitelist");

  /** The policy of every route of one Ingress: the same limit, whatever the host and path. */
  private record EveryRoute(List<io.portico.router.policy.RequestPolicy> policies)
      implements RoutePolicyRule {
    @Override
    public List<io.portico.router.policy.RequestPolicy> policies(
        io.portico.router.route.HostnamePattern host, io.portico.router.route.PathMatch path) {
      return policies;
    }
  }

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
    Optional<Integer> rps = rate(values, "limit-rps", report);
    Optional<Integer> rpm = rate(values, "limit-rpm", report);
    if (rps.isEmpty() || rpm.isEmpty()) {
      return;
    }
    int multiplier = RateLimit.DEFAULT_BURST_MULTIPLIER;
    Optional<String> multiplierText = values.get("limit-burst-multiplier");
    if (multiplierText.isPresent()) {
      Optional<Integer> read = integer(multiplierText.get());
      if (read.isPresent() && read.get() >= 1) {
        multiplier = read.get();
      } else {
        report.invalid(
            "limit-burst-multiplier", multiplierText.get(), "an integer of 1 or more", "using 5");
      }
    }
    String allowName = values.has("limit-allowlist") ? "limit-allowlist" : "limit-whitelist";
    if (values.has("limit-allowlist") && values.has("limit-whitelist")) {
      values.get("limit-whitelist");
      report.unused("limit-whitelist", "limit-allowlist is set, and wins");
    }
    CidrSet allowlist = CidrSet.EMPTY;
    Optional<String> allowText = values.get(allowName);
    if (allowText.isPresent()) {
      List<String> items = new ArrayList<>();
      for (String item : allowText.get().split(",")) {
        if (!item.isBlank()) {
          items.add(item.strip());
        }
      }
      for (String item : items) {
        if (!CidrSet.isValid(item)) {
          report.refuse(
              allowName,
              "\"" + item + "\" is not an IP address or CIDR block: the allowlist cannot be read");
          return;
        }
      }
      allowlist = CidrSet.parse(items);
    }
    if (rps.get() == 0 && rpm.get() == 0) {
      for (String name : List.of("limit-burst-multiplier", allowName)) {
        if (values.has(name)) {
          report.unused(name, "neither limit-rps nor limit-rpm is set");
        }
      }
      return;
    }
    RateLimit limit =
        new RateLimit(
            context.namespace() + "/" + context.name(),
            rps.get(),
            rpm.get(),
            multiplier,
            allowlist,
            context.config().get(ConfigKeys.LIMIT_REQ_STATUS_CODE));
    policy.routeRule(new EveryRoute(List.of(new LocalRateLimitPolicy(limit))));
  }

  /** A rate: 0 when unset; empty (and the Ingress refused) when it cannot be read. */
  private static Optional<Integer> rate(
      AnnotationValues values, String name, AnnotationReport report) {
    Optional<String> text = values.get(name);
    if (text.isEmpty()) {
      return Optional.of(0);
    }
    Optional<Integer> read = integer(text.get()).filter(value -> value >= 0);
    if (read.isEmpty()) {
      report.refuse(
          name,
          "\""
              + text.get()
              + "\" is not a whole number of requests: served without the limit, the"
              + " backend would take every request");
    }
    return read;
  }

  private static Optional<Integer> integer(String text) {
    try {
      return Optional.of(Integer.parseInt(text.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
