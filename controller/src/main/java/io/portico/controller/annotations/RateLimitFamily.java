package io.portico.controller.annotations;

import io.portico.controller.config.ConfigKeys;
import io.portico.router.address.CidrSet;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.limit.ClientConnectionLimit;
import io.portico.router.policy.limit.LocalConnectionLimitPolicy;
import io.portico.router.policy.limit.LocalRateLimitPolicy;
import io.portico.router.policy.limit.RateLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Local rate and connection limits: {@code limit-rps}, {@code limit-rpm}, {@code
 * limit-connections}, {@code limit-burst-multiplier} and {@code limit-allowlist} (or its alias
 * {@code limit-whitelist}), as ingress-nginx reads them: the counts are per client address and per
 * Ingress (its routes share them), kept by each replica on its own; a request over a rate gets the
 * ConfigMap's {@code limit-req-status-code} (503), one over the connections the ConfigMap's {@code
 * limit-conn-status-code} (503). A limit that cannot be read refuses the Ingress: served without
 * it, the backend would take every request.
 */
public final class RateLimitFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "ratelimit";

  private static final Set<String> ANNOTATIONS =
      Set.of(
          "limit-allowlist",
          "limit-burst-multiplier",
          "limit-connections",
          "limit-rpm",
          "limit-rps",
          "limit-whitelist");

  /** The policy of every route of one Ingress: the same limit, whatever the host and path. */
  private record EveryRoute(List<RequestPolicy> policies) implements RoutePolicyRule {
    @Override
    public List<RequestPolicy> policies(
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
    Optional<Integer> rps = count(values, "limit-rps", "requests", report);
    Optional<Integer> rpm = count(values, "limit-rpm", "requests", report);
    Optional<Integer> connections = count(values, "limit-connections", "connections", report);
    if (rps.isEmpty() || rpm.isEmpty() || connections.isEmpty()) {
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
    boolean rates = rps.get() > 0 || rpm.get() > 0;
    if (!rates && connections.get() == 0) {
      for (String name : List.of("limit-burst-multiplier", allowName)) {
        if (values.has(name)) {
          report.unused(name, "none of limit-rps, limit-rpm and limit-connections is set");
        }
      }
      return;
    }
    if (!rates && values.has("limit-burst-multiplier")) {
      report.unused(
          "limit-burst-multiplier",
          "only limit-rps and limit-rpm have a burst, and neither is set");
    }
    String zone = context.namespace() + "/" + context.name();
    // The rates first, as nginx's limit_req runs before limit_conn: a request refused by a rate is
    // never counted as a connection.
    List<RequestPolicy> policies = new ArrayList<>(2);
    if (rates) {
      policies.add(
          new LocalRateLimitPolicy(
              new RateLimit(
                  zone,
                  rps.get(),
                  rpm.get(),
                  multiplier,
                  allowlist,
                  context.config().get(ConfigKeys.LIMIT_REQ_STATUS_CODE))));
    }
    if (connections.get() > 0) {
      policies.add(
          new LocalConnectionLimitPolicy(
              new ClientConnectionLimit(
                  zone,
                  connections.get(),
                  allowlist,
                  context.config().get(ConfigKeys.LIMIT_CONN_STATUS_CODE))));
    }
    policy.routeRule(new EveryRoute(List.copyOf(policies)));
  }

  /** A limit: 0 when unset; empty (and the Ingress refused) when it cannot be read. */
  private static Optional<Integer> count(
      AnnotationValues values, String name, String what, AnnotationReport report) {
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
              + "\" is not a whole number of "
              + what
              + ": served without the limit, the"
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
