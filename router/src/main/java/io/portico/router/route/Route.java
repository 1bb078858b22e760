package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.RoutePolicies;

/**
 * One host/path rule: what it matches, where it sends requests, which object it came from, how it
 * treats plain HTTP and HTTPS, and the request policies the proxy runs for it.
 *
 * @param https what translation decided for plain HTTP and HTTPS; shown by dumps, explain and the
 *     admin API, and carried out by its {@link HttpsPolicy#requestPolicies()}
 * @param policies every request policy of the rule, {@code https}'s included, ordered by phase;
 *     {@link RoutePolicies#NONE} for most rules
 * @param upstream how requests go to the backend (timeouts, retries, limits, protocol); {@link
 *     UpstreamSettings#DEFAULT} for most rules
 */
public record Route(
    HostnamePattern host,
    PathMatch path,
    Backend backend,
    RouteOrigin origin,
    HttpsPolicy https,
    RoutePolicies policies,
    UpstreamSettings upstream) {

  public Route {
    requireNonNull(host, "host");
    requireNonNull(path, "path");
    requireNonNull(backend, "backend");
    requireNonNull(origin, "origin");
    requireNonNull(https, "https");
    requireNonNull(policies, "policies");
    requireNonNull(upstream, "upstream");
    // A rule that says it redirects must redirect: the policies carry out what https states.
    if (!policies.containsAll(https.requestPolicies())) {
      throw new IllegalArgumentException(
          "policies: "
              + policies
              + " (expected: to include "
              + https.requestPolicies()
              + ", those of "
              + https
              + ")");
    }
  }

  /** A rule with the default upstream settings. */
  public Route(
      HostnamePattern host,
      PathMatch path,
      Backend backend,
      RouteOrigin origin,
      HttpsPolicy https,
      RoutePolicies policies) {
    this(host, path, backend, origin, https, policies, UpstreamSettings.DEFAULT);
  }

  /** A rule whose only policies are those of {@code https}. */
  public Route(
      HostnamePattern host,
      PathMatch path,
      Backend backend,
      RouteOrigin origin,
      HttpsPolicy https) {
    this(host, path, backend, origin, https, https.requestPolicies());
  }

  /** A rule without TLS and without policies: {@link HttpsPolicy#NONE}. */
  public Route(HostnamePattern host, PathMatch path, Backend backend, RouteOrigin origin) {
    this(host, path, backend, origin, HttpsPolicy.NONE, RoutePolicies.NONE);
  }

  /** This rule with other upstream settings. */
  public Route withUpstream(UpstreamSettings settings) {
    return new Route(host, path, backend, origin, https, policies, UpstreamSettings.of(settings));
  }

  /** The key two rules conflict on: the same host, path and match type. */
  RouteKey key() {
    return new RouteKey(host, path);
  }

  record RouteKey(HostnamePattern host, PathMatch path) {}
}
