package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.tls.CertificateSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The Gateway API rules one of Portico's listeners serves, grouped by the hostname of the Gateway
 * listeners they are attached to. A request is served by the group of the most specific listener
 * hostname covering its host (its port ignored), and within it by the first rule, in order, whose
 * host name covers the request's and whose conditions hold. So the order of each group's rules is
 * the precedence of the Gateway API specification, which the controller establishes.
 *
 * <p>On Portico's HTTP and HTTPS listeners these rules and the Ingress rules share the host names:
 * see {@link RouteTable#match(ListenerKey, String, String, RequestAttributes)}.
 *
 * @param key the listener
 * @param tls whether it terminates TLS
 * @param certificates for a listener opened for Gateway listeners of protocol HTTPS, the
 *     certificates it selects from by SNI; {@code null} otherwise (Portico's HTTPS listener serves
 *     the configuration's certificates)
 * @param groups the Gateway listeners' hostnames ({@code ""}: none) with their rules in precedence
 *     order, one group per hostname
 */
public record ListenerRoutes(
    ListenerKey key, boolean tls, @Nullable CertificateSet certificates, List<Group> groups) {

  /**
   * The rules of the Gateway listeners of one hostname.
   *
   * @param hostname the Gateway listeners' hostname, lower case; {@code ""} when they have none
   * @param rules every rule attached to them, in precedence order
   */
  public record Group(String hostname, List<GatewayRule> rules) {

    public Group {
      requireNonNull(hostname, "hostname");
      rules = List.copyOf(rules);
    }
  }

  public ListenerRoutes {
    requireNonNull(key, "key");
    groups = List.copyOf(groups);
    Set<String> seen = new HashSet<>();
    for (Group group : groups) {
      if (!seen.add(group.hostname())) {
        throw new IllegalArgumentException(
            "groups: hostname \"" + group.hostname() + "\" twice (expected: one group each)");
      }
    }
  }

  /** The number of rules over all groups. */
  public int ruleCount() {
    return groups.stream().mapToInt(g -> g.rules().size()).sum();
  }

  /** One line per group and rule, e.g. {@code listener port 8081 (https)}. */
  public String dump() {
    StringBuilder out = new StringBuilder("listener ").append(key);
    out.append(tls ? " (https)\n" : " (http)\n");
    for (Group group : groups) {
      out.append("  gateway listeners ")
          .append(group.hostname().isEmpty() ? "*" : group.hostname())
          .append('\n');
      for (GatewayRule rule : group.rules()) {
        out.append("    ")
            .append(rule.hostname().isEmpty() ? "*" : rule.hostname())
            .append(' ')
            .append(rule.conditions())
            .append(" -> ");
        boolean weighted = rule.backends().size() > 1;
        for (int i = 0; i < rule.backends().size(); i++) {
          WeightedRoute backend = rule.backends().get(i);
          out.append(i == 0 ? "" : ", ").append(backend.route().backend().id());
          if (weighted) {
            out.append(" weight ").append(backend.weight());
          }
          if (!backend.route().policies().isEmpty()) {
            out.append(' ').append(backend.route().policies());
          }
        }
        out.append("  (").append(rule.source()).append(")\n");
      }
    }
    return out.toString();
  }
}
