package io.portico.router.policy.limit;

import static java.util.Objects.requireNonNull;

import io.portico.router.address.CidrSet;

/**
 * A rate limit every replica counts together, as ingress-nginx's {@code global-rate-limit}, {@code
 * -window}, {@code -key} and {@code -ignored-cidrs} say: at most {@code limit} requests per {@code
 * windowSeconds} for each value of {@code key}, on the routes of one Ingress; a request over it is
 * answered with {@code status}.
 *
 * @param zone what the counts belong to (the Ingress, {@code namespace/name}): routes of one
 *     Ingress share them, and so do replicas
 * @param limit the most requests per window, 1 or more
 * @param windowSeconds the window, in whole seconds, 1 or more
 * @param key what requests count together (ingress-nginx's default: the client address)
 * @param ignored the client addresses never limited nor counted
 * @param status the answer to a request over the limit (ingress-nginx's default: 429)
 */
public record GlobalRateLimit(
    String zone, int limit, int windowSeconds, ThrottleKey key, CidrSet ignored, int status) {

  /** ingress-nginx's {@code global-rate-limit-status-code} default. */
  public static final int DEFAULT_STATUS = 429;

  public GlobalRateLimit {
    requireNonNull(zone, "zone");
    requireNonNull(key, "key");
    requireNonNull(ignored, "ignored");
    if (limit < 1) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
    }
    if (windowSeconds < 1) {
      throw new IllegalArgumentException("windowSeconds: " + windowSeconds + " (expected: >= 1)");
    }
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 200 to 599)");
    }
  }
}
