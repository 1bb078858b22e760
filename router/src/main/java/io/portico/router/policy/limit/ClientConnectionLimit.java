package io.portico.router.policy.limit;

import static java.util.Objects.requireNonNull;

import io.portico.router.address.CidrSet;

/**
 * How many requests one client address may have in flight at once on the routes of one Ingress, as
 * ingress-nginx's {@code limit-connections} says (nginx's {@code limit_conn}): a request that would
 * exceed it is answered with {@code status}.
 *
 * @param zone what the counts belong to (the Ingress, {@code namespace/name}): routes of one
 *     Ingress share them, as the locations of one Ingress share nginx's zone
 * @param perClient the most requests of one address in flight at once, 1 or more
 * @param allowlist the client addresses never limited (nor counted)
 * @param status the answer to a request over the limit (ingress-nginx's default: 503)
 */
public record ClientConnectionLimit(String zone, int perClient, CidrSet allowlist, int status) {

  /** ingress-nginx's {@code limit-conn-status-code} default. */
  public static final int DEFAULT_STATUS = 503;

  public ClientConnectionLimit {
    requireNonNull(zone, "zone");
    requireNonNull(allowlist, "allowlist");
    if (perClient < 1) {
      throw new IllegalArgumentException("perClient: " + perClient + " (expected: >= 1)");
    }
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 200 to 599)");
    }
  }
}
