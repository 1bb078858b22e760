package io.portico.controller.gateway;

import io.portico.controller.gateway.GatewayRoutes.RuleEntry;
import io.portico.controller.gateway.RouteMatch.GrpcMatch;
import io.portico.controller.gateway.RouteMatch.HttpMatch;
import java.util.Comparator;
import java.util.Optional;

/**
 * The order in which the rules of the routes attached to one listener are tried: the first entry
 * that matches a request serves it. The rulebook of the specification:
 *
 * <ol>
 *   <li>the route hostname the request matched: a name before a wildcard, a longer wildcard before
 *       a shorter one, and any hostname before none;
 *   <li>HTTPRoute matches: an {@code Exact} path, then a {@code RegularExpression} path (the
 *       specification leaves its place to implementations; after {@code Exact} and before prefixes,
 *       as Envoy-based implementations do, so that a pattern is not hidden by a catch-all prefix),
 *       then a {@code PathPrefix} with more characters; then a match with a method before one
 *       without; then more header matches; then more query parameter matches;
 *   <li>GRPCRoute matches: a longer service, then a longer method, then more header matches;
 *   <li>then the older route ({@code creationTimestamp}), then the route's namespace/name;
 *   <li>then rule order within the route, then match order within the rule.
 * </ol>
 *
 * Path lengths compare the value as written, so a {@code PathPrefix /match/} ranks above {@code
 * /match}. HTTPRoute and GRPCRoute entries never compete for one request in practice (a listener's
 * hostnames go to one kind); between them HTTPRoute entries come first.
 */
public final class RulePrecedence {

  /** The order of entries, most precedent first. */
  public static final Comparator<RuleEntry> ORDER = RulePrecedence::compare;

  private RulePrecedence() {}

  private static int compare(RuleEntry a, RuleEntry b) {
    int byHost = compareHosts(a.hostname(), b.hostname());
    if (byHost != 0) {
      return byHost;
    }
    int byMatch = compareMatches(a.match(), b.match());
    if (byMatch != 0) {
      return byMatch;
    }
    int byAge = ObjectFacts.OLDEST_FIRST.compare(a.origin().route(), b.origin().route());
    if (byAge != 0) {
      return byAge;
    }
    int byKind = a.origin().kind().kind().compareTo(b.origin().kind().kind());
    if (byKind != 0) {
      return byKind;
    }
    int byRule = Integer.compare(a.origin().rule(), b.origin().rule());
    return byRule != 0 ? byRule : Integer.compare(a.origin().match(), b.origin().match());
  }

  private static int compareHosts(Optional<Hostname> a, Optional<Hostname> b) {
    if (a.isPresent() && b.isPresent()) {
      return Hostname.MOST_SPECIFIC_FIRST.compare(a.get(), b.get());
    }
    return Boolean.compare(a.isEmpty(), b.isEmpty());
  }

  private static int compareMatches(RouteMatch a, RouteMatch b) {
    if (a instanceof HttpMatch httpA && b instanceof HttpMatch httpB) {
      return compareHttp(httpA, httpB);
    }
    if (a instanceof GrpcMatch grpcA && b instanceof GrpcMatch grpcB) {
      return compareGrpc(grpcA, grpcB);
    }
    return a instanceof HttpMatch ? -1 : 1;
  }

  private static int compareHttp(HttpMatch a, HttpMatch b) {
    int byType = Integer.compare(rank(a.path().type()), rank(b.path().type()));
    if (byType != 0) {
      return byType;
    }
    int byLength = Integer.compare(b.path().value().length(), a.path().value().length());
    if (byLength != 0) {
      return byLength;
    }
    int byMethod = Boolean.compare(a.method().isEmpty(), b.method().isEmpty());
    if (byMethod != 0) {
      return byMethod;
    }
    int byHeaders = Integer.compare(b.headers().size(), a.headers().size());
    return byHeaders != 0
        ? byHeaders
        : Integer.compare(b.queryParams().size(), a.queryParams().size());
  }

  private static int rank(PathMatch.Type type) {
    return switch (type) {
      case EXACT -> 0;
      case REGULAR_EXPRESSION -> 1;
      case PATH_PREFIX -> 2;
    };
  }

  private static int compareGrpc(GrpcMatch a, GrpcMatch b) {
    int byService =
        Integer.compare(b.service().orElse("").length(), a.service().orElse("").length());
    if (byService != 0) {
      return byService;
    }
    int byMethod = Integer.compare(b.method().orElse("").length(), a.method().orElse("").length());
    return byMethod != 0 ? byMethod : Integer.compare(b.headers().size(), a.headers().size());
  }
}
