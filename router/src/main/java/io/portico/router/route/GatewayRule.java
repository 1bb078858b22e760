package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One match of a Gateway API rule as a listener serves it: the host name it serves there, what the
 * request must match, and its backends with their shares.
 *
 * @param hostname the host name it serves: a name, a {@code *.} wildcard standing for one or more
 *     labels, or {@code ""} for every name its listener serves
 * @param conditions what the request must match
 * @param backends the backends, at least one with a weight above 0 (a rule that forwards nowhere
 *     has one backend whose policies answer)
 * @param source where it comes from, for dumps and explanations, e.g. {@code HTTPRoute infra/web
 *     rule 0}
 */
public record GatewayRule(
    String hostname, RequestConditions conditions, List<WeightedRoute> backends, String source) {

  public GatewayRule {
    requireNonNull(hostname, "hostname");
    requireNonNull(conditions, "conditions");
    backends = List.copyOf(backends);
    requireNonNull(source, "source");
    if (backends.stream().noneMatch(b -> b.weight() > 0)) {
      throw new IllegalArgumentException(
          "backends of " + source + ": none with a weight above 0 (expected: at least one)");
    }
  }
}
