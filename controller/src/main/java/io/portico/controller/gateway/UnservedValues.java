package io.portico.controller.gateway;

import io.portico.router.balance.CookieAffinity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The values of a route that the API server accepts but Portico cannot carry out exactly. A route
 * with any of them is refused ({@code Accepted=False UnsupportedValue}, the fields named) rather
 * than served as if they were absent:
 *
 * <ul>
 *   <li>a {@code RequestMirror} share other than 0 and 100%: a mirror copies every request it sees;
 *   <li>more than one {@code RequestMirror} for one backend (the rule's and the backend's
 *       together): a route has one mirror;
 *   <li>a {@code RequestMirror} on a GRPCRoute: copies are sent over HTTP/1.1, which gRPC backends
 *       do not answer;
 *   <li>{@code sessionPersistence} that Portico's session cookie cannot carry: type {@code Header},
 *       an {@code idleTimeout}, an {@code absoluteTimeout} on a {@code Session} cookie (it would
 *       have to be tracked in the cookie's value, which names an endpoint only), a {@code
 *       sessionName} that is no cookie name, or a rule that splits its traffic over several
 *       backends (a session stays within one).
 * </ul>
 */
final class UnservedValues {

  private UnservedValues() {}

  /** One message per value Portico cannot serve, naming its field; empty when it serves all. */
  static List<String> of(RouteView route) {
    List<String> found = new ArrayList<>();
    boolean grpc = route.kind().equals(GroupKind.GRPC_ROUTE);
    for (int r = 0; r < route.rules().size(); r++) {
      RouteRule rule = route.rules().get(r);
      String field = "spec.rules[" + r + "]";
      int ruleMirrors = mirrors(field + ".filters", rule.filters(), grpc, found);
      for (int b = 0; b < rule.backendRefs().size(); b++) {
        String backendField = field + ".backendRefs[" + b + "].filters";
        int own = mirrors(backendField, rule.backendRefs().get(b).filters(), grpc, found);
        if (!grpc && ruleMirrors + own > 1) {
          found.add(
              backendField
                  + ": "
                  + (ruleMirrors + own)
                  + " RequestMirror filters with the rule's (expected: at most one per backend)");
        }
      }
      rule.session().ifPresent(session -> session(field, session, rule, found));
      if (!grpc && ruleMirrors > 1 && rule.backendRefs().isEmpty()) {
        found.add(
            field
                + ".filters: "
                + ruleMirrors
                + " RequestMirror filters (expected: at most one per backend)");
      }
    }
    return found;
  }

  private static void session(
      String rule, RouteSession session, RouteRule written, List<String> found) {
    String field = rule + ".sessionPersistence";
    if (session.type() == RouteSession.Type.HEADER) {
      found.add(
          field
              + ".type: Header (expected: Cookie; Portico keeps sessions with a cookie, not a"
              + " header)");
    }
    session
        .idleTimeout()
        .ifPresent(
            idle ->
                found.add(
                    field
                        + ".idleTimeout: "
                        + written(idle)
                        + " (expected: unset; Portico's session cookie names an endpoint, it keeps"
                        + " no time of last use)"));
    if (session.lifetime() == RouteSession.Lifetime.SESSION) {
      session
          .absoluteTimeout()
          .ifPresent(
              absolute ->
                  found.add(
                      field
                          + ".absoluteTimeout: "
                          + written(absolute)
                          + " with lifetimeType Session (expected: unset, or lifetimeType"
                          + " Permanent; Portico's session cookie names an endpoint, it keeps no"
                          + " start time)"));
    }
    session
        .sessionName()
        .filter(name -> !CookieAffinity.isValidName(name))
        .ifPresent(
            name ->
                found.add(
                    field
                        + ".sessionName: "
                        + name
                        + " (expected: a cookie name, "
                        + CookieAffinity.NAME_RULE
                        + ")"));
    long forwarding = written.backendRefs().stream().filter(b -> b.weight() > 0).count();
    if (forwarding > 1) {
      found.add(
          field
              + ": on a rule with "
              + forwarding
              + " backendRefs (expected: one; Portico keeps a session within one backend, and"
              + " the split would move it)");
    }
  }

  /** A duration as Gateway API writes it: {@code 10s}, {@code 1500ms}. */
  private static String written(Duration value) {
    long millis = value.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /** Checks each RequestMirror filter of the list; returns how many there are. */
  private static int mirrors(
      String field, List<RouteFilter> filters, boolean grpc, List<String> found) {
    int count = 0;
    for (int i = 0; i < filters.size(); i++) {
      if (!(filters.get(i) instanceof RouteFilter.RequestMirror mirror)
          || mirror.numerator() == 0) {
        // A share of 0 mirrors nothing, which is exactly what serving without it does.
        continue;
      }
      count++;
      String filterField = field + "[" + i + "].requestMirror";
      if (grpc) {
        found.add(
            filterField
                + ": on a GRPCRoute (expected: none; Portico sends mirror copies over HTTP/1.1)");
      } else if (mirror.numerator() != mirror.denominator()) {
        found.add(
            filterField
                + ": a share of "
                + mirror.numerator()
                + "/"
                + mirror.denominator()
                + " (expected: 0 or 100%; Portico mirrors every request of a rule or none)");
      }
    }
    return count;
  }
}
