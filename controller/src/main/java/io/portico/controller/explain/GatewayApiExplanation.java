package io.portico.controller.explain;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.portico.controller.translate.Finding;
import io.portico.router.route.GatewayRule;
import io.portico.router.route.ListenerKey;
import io.portico.router.route.ListenerRoutes;
import io.portico.router.route.RequestAttributes;
import io.portico.router.route.Route;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTarget;
import io.portico.router.route.WeightedRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The part of an explanation for a host name that Gateway API rules serve on Portico's HTTP or
 * HTTPS listener: which API serves the host, the rule that matches (a {@code GET} with the URL's
 * query and no headers), its backends with their weights and filters, and the other rules for the
 * host name.
 */
final class GatewayApiExplanation {

  private GatewayApiExplanation() {}

  /**
   * Appends the explanation of a request the Gateway API rules of {@code listener} claim.
   *
   * @param rawQuery the URL's query as written, or {@code null}
   * @return whether a rule matches
   */
  static boolean explain(
      StringBuilder out,
      RouteTable routes,
      List<Finding> findings,
      ListenerKey listener,
      String host,
      String path,
      String rawQuery) {
    Explainer.line(
        out,
        "api",
        "Gateway API: routes on the "
            + (listener == ListenerKey.HTTPS ? "HTTPS" : "HTTP")
            + " listener serve this host name (Ingress rules for it, if any, do not)");
    RouteTarget target = routes.match(listener, host, path, attributes(rawQuery));
    List<GatewayRule> hostRules = rulesFor(routes.listenerRoutes(listener), host);
    @Nullable GatewayRule winner = target == null ? null : ruleOf(hostRules, target.route());
    if (target == null || winner == null) {
      Explainer.line(out, "result", "404 from Portico: no Gateway API rule for this host matches");
      others(out, hostRules, null);
      return false;
    }
    Explainer.line(out, "match", winner.conditions() + " from " + winner.source());
    if (winner.backends().size() > 1) {
      List<String> shares = new ArrayList<>();
      for (WeightedRoute backend : winner.backends()) {
        shares.add(backend.route().backend().id() + " weight " + backend.weight());
      }
      Explainer.line(out, "backends", String.join(", ", shares) + " (this request: one of them)");
    }
    Route route = target.route();
    if (!route.policies().isEmpty()) {
      Explainer.line(out, "filters", route.policies().toString());
    }
    if (route.backend().id().service().equals("-")) {
      // A rule without backendRefs: its filters answer (a redirect), or Portico answers 500.
      Explainer.line(out, "backend", "none: the rule's filters answer, else 500");
    } else {
      Explainer.line(out, "backend", "Service " + route.backend().id());
      Explainer.line(
          out,
          "endpoints",
          route.backend().endpoints().isEmpty()
              ? "none: the request gets 503"
              : route.backend().endpoints().size() + " ready");
    }
    others(out, hostRules, winner);
    List<Finding> relevant =
        findings.stream()
            .filter(f -> winner.source().startsWith(f.subject().kind() + " " + f.subject().key()))
            .toList();
    Explainer.line(out, "warnings", relevant.isEmpty() ? "none" : "");
    for (Finding finding : relevant) {
      out.append("  ").append(finding.reason()).append(": ").append(finding.message()).append('\n');
    }
    return true;
  }

  /** The rules that serve the host name, in the order Portico tries them. */
  private static List<GatewayRule> rulesFor(@Nullable ListenerRoutes routes, String host) {
    List<GatewayRule> rules = new ArrayList<>();
    if (routes == null) {
      return rules;
    }
    for (ListenerRoutes.Group group : routes.groups()) {
      if (covers(group.hostname(), host)) {
        for (GatewayRule rule : group.rules()) {
          if (covers(rule.hostname(), host)) {
            rules.add(rule);
          }
        }
      }
    }
    return rules;
  }

  /** Whether a Gateway API host name ({@code ""}: any, {@code *.}: one or more labels) covers. */
  static boolean covers(String hostname, String host) {
    if (hostname.isEmpty()) {
      return true;
    }
    if (hostname.startsWith("*.")) {
      return host.endsWith(hostname.substring(1)) && host.length() > hostname.length() - 1;
    }
    return hostname.equals(host);
  }

  private static @Nullable GatewayRule ruleOf(List<GatewayRule> rules, Route route) {
    for (GatewayRule rule : rules) {
      for (WeightedRoute backend : rule.backends()) {
        if (backend.route() == route) {
          return rule;
        }
      }
    }
    return null;
  }

  private static void others(
      StringBuilder out, List<GatewayRule> rules, @Nullable GatewayRule winner) {
    List<GatewayRule> others = rules.stream().filter(r -> r != winner).toList();
    if (others.isEmpty()) {
      return;
    }
    out.append(winner == null ? "rules for this host:\n" : "other rules for this host:\n");
    for (GatewayRule rule : others) {
      out.append("  ").append(rule.conditions()).append("  (").append(rule.source()).append(")\n");
    }
  }

  /** A {@code GET} with the URL's query parameters and no headers. */
  private static RequestAttributes attributes(String rawQuery) {
    Map<String, List<String>> query =
        rawQuery == null ? Map.of() : new QueryStringDecoder(rawQuery, false).parameters();
    return new RequestAttributes() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public @Nullable String header(String name) {
        return null;
      }

      @Override
      public @Nullable String queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
      }
    };
  }
}
