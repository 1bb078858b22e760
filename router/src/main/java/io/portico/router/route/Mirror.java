package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.MirrorPolicy;

/**
 * Where a route sends copies of its requests, and how: a Service port of the cluster, resolved to
 * its endpoints like any backend (never a name handed to a resolver), and the policy that copies.
 *
 * @param backend the mirror's Service port and endpoints
 * @param copy the path, host and body of each copy
 */
public record Mirror(Backend backend, MirrorPolicy copy) {

  public Mirror {
    requireNonNull(backend, "backend");
    requireNonNull(copy, "copy");
  }

  /** {@code ns/svc:port [endpoints] path /mirror host mirror.test}. */
  @Override
  public String toString() {
    return backend
        + " path "
        + (copy.path().isEmpty() ? "" : copy.path())
        + (copy.withRequestUri() ? "$request_uri" : "")
        + " host "
        + copy.host()
        + (copy.body() ? "" : " without body");
  }
}
