package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.RoutePolicies;
import org.jspecify.annotations.Nullable;

/**
 * One host/path rule: what it matches, where it sends requests, which object it came from, how it
 * treats plain HTTP and HTTPS, the request policies the proxy runs for it, and its error pages.
 *
 * @param https what translation decided for plain HTTP and HTTPS; shown by dumps, explain and the
 *     admin API, and carried out by its {@link HttpsPolicy#requestPolicies()}
 * @param policies every request policy of the rule, {@code https}'s included, ordered by phase;
 *     {@link RoutePolicies#NONE} for most rules
 * @param errorPages the statuses answered by an error backend instead, or {@code null} (most rules)
 */
public record Route(
    HostnamePattern host,
    PathMatch path,
    Backend backend,
    RouteOrigin origin,
    HttpsPolicy https,
    RoutePolicies policies,
    @Nullable ErrorPages errorPages) {

  public Route {
    requireNonNull(host, "host");
    requireNonNull(path, "path");
    requireNonNull(backend, "backend");
    requireNonNull(origin, "origin");
    requireNonNull(https, "https");
    requireNonNull(policies, "policies");
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

  /** A rule without error pages. */
  public Route(
      HostnamePattern host,
      PathMatch path,
      Backend backend,
      RouteOrigin origin,
      HttpsPolicy https,
      RoutePolicies policies) {
    this(host, path, backend, origin, https, policies, null);
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
    this(host, path, backend, origin, HttpsPolicy.NONE, RoutePolicies.NONE, null);
  }

  /**
   * The key two rules conflict on: the same host, match type and path ({@code Prefix /foo/} and
   * {@code Prefix /foo} claim the same paths).
   */
  RouteKey key() {
    return new RouteKey(host, path.typeName(), path.path());
  }

  record RouteKey(HostnamePattern host, String type, String path) {}
}
