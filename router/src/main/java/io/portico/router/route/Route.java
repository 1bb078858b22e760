package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.CanaryPolicy;
import io.portico.router.policy.MirrorPolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.RoutePolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One host/path rule: what it matches, where it sends requests, which object it came from, how it
 * treats plain HTTP and HTTPS, the request policies the proxy runs for it, and its error pages.
 *
 * <p>A rule has one backend of its own and, with canaries, alternative backends that its {@link
 * CanaryPolicy} chooses per request. Backend 0 is {@code backend}, backend {@code i} is canary
 * {@code i-1}.
 *
 * @param https what translation decided for plain HTTP and HTTPS; shown by dumps, explain and the
 *     admin API, and carried out by its {@link HttpsPolicy#requestPolicies()}
 * @param policies every request policy of the rule, {@code https}'s included, ordered by phase;
 *     {@link RoutePolicies#NONE} for most rules
 * @param canaries the alternative backends, in order; {@link Canaries#NONE} for most rules. The
 *     policies include their {@link Canaries#policy()}
 * @param mirror where copies of the requests go; empty for most rules. The policies include its
 *     {@link Mirror#copy()}
 * @param errorPages the statuses answered by an error backend instead, or {@code null} (most rules)
 */
public record Route(
    HostnamePattern host,
    PathMatch path,
    Backend backend,
    RouteOrigin origin,
    HttpsPolicy https,
    RoutePolicies policies,
    Canaries canaries,
    Optional<Mirror> mirror,
    @Nullable ErrorPages errorPages) {

  public Route {
    requireNonNull(host, "host");
    requireNonNull(path, "path");
    requireNonNull(backend, "backend");
    requireNonNull(origin, "origin");
    requireNonNull(https, "https");
    requireNonNull(policies, "policies");
    requireNonNull(canaries, "canaries");
    requireNonNull(mirror, "mirror");
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
    // A rule with canaries chooses among them, with a policy made from them and from nothing else.
    List<CanaryPolicy> choosers = policiesOf(CanaryPolicy.class, policies);
    boolean consistent =
        canaries.isEmpty()
            ? choosers.isEmpty()
            : choosers.size() == 1 && choosers.get(0).equals(canaries.policy());
    if (!consistent) {
      throw new IllegalArgumentException(
          "policies: "
              + policies
              + " (expected: "
              + (canaries.isEmpty() ? "no canary policy" : "the one policy of " + canaries)
              + ")");
    }
    List<MirrorPolicy> copiers = policiesOf(MirrorPolicy.class, policies);
    boolean mirrored =
        mirror.isEmpty()
            ? copiers.isEmpty()
            : copiers.size() == 1 && copiers.get(0).equals(mirror.get().copy());
    if (!mirrored) {
      throw new IllegalArgumentException(
          "policies: "
              + policies
              + " (expected: "
              + mirror.map(m -> "the one policy " + m.copy()).orElse("no mirror policy")
              + ")");
    }
  }

  /** A rule without canaries, a mirror or error pages. */
  public Route(
      HostnamePattern host,
      PathMatch path,
      Backend backend,
      RouteOrigin origin,
      HttpsPolicy https,
      RoutePolicies policies) {
    this(host, path, backend, origin, https, policies, Canaries.NONE, Optional.empty(), null);
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

  /**
   * This rule with other canaries ({@link Canaries#NONE}: none), and the policy that chooses among
   * them in place of its current one.
   */
  public Route withCanaries(Canaries next) {
    requireNonNull(next, "next");
    List<RequestPolicy> kept = new ArrayList<>(policies.all());
    kept.removeIf(policy -> policy instanceof CanaryPolicy);
    if (!next.isEmpty()) {
      kept.add(next.policy());
    }
    return new Route(
        host, path, backend, origin, https, RoutePolicies.of(kept), next, mirror, errorPages);
  }

  /** This rule with another mirror (empty: none), and the policy that copies to it. */
  public Route withMirror(Optional<Mirror> next) {
    requireNonNull(next, "next");
    List<RequestPolicy> kept = new ArrayList<>(policies.all());
    kept.removeIf(policy -> policy instanceof MirrorPolicy);
    next.ifPresent(m -> kept.add(m.copy()));
    return new Route(
        host, path, backend, origin, https, RoutePolicies.of(kept), canaries, next, errorPages);
  }

  /** The number of backends: its own and one per canary. */
  public int backendCount() {
    return 1 + canaries.size();
  }

  /** Backend {@code index}: 0 for its own, {@code i} for canary {@code i-1}. */
  public Backend backend(int index) {
    return index == 0 ? backend : canaries.get(index - 1).backend();
  }

  private static <T> List<T> policiesOf(Class<T> type, RoutePolicies policies) {
    List<T> found = new ArrayList<>(1);
    for (RequestPolicy policy : policies.all()) {
      if (type.isInstance(policy)) {
        found.add(type.cast(policy));
      }
    }
    return found;
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
