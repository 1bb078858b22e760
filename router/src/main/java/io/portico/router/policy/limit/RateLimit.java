package io.portico.router.policy.limit;

import static java.util.Objects.requireNonNull;

import io.portico.router.address.CidrSet;

/**
 * The request rates one client address may reach on the routes of one Ingress, as ingress-nginx's
 * {@code limit-rps}, {@code limit-rpm} and {@code limit-burst-multiplier} say: each rate set is a
 * leaky bucket (nginx's {@code limit_req} with {@code nodelay}) that takes a burst of {@code rate ×
 * burstMultiplier} requests beyond the rate at once; a request over either is answered with {@code
 * status}.
 *
 * @param zone what the counts belong to (the Ingress, {@code namespace/name}): routes of one
 *     Ingress share them
 * @param perSecond requests per second, 0 for no such limit
 * @param perMinute requests per minute, 0 for no such limit
 * @param burstMultiplier the burst as a multiple of each rate (ingress-nginx's default: 5)
 * @param allowlist the client addresses never limited
 * @param status the answer to a request over the limit (ingress-nginx's default: 503)
 */
public record RateLimit(
    String zone, int perSecond, int perMinute, int burstMultiplier, CidrSet allowlist, int status) {

  /** ingress-nginx's {@code limit-burst-multiplier} default. */
  public static final int DEFAULT_BURST_MULTIPLIER = 5;

  /** ingress-nginx's {@code limit-req-status-code} default. */
  public static final int DEFAULT_STATUS = 503;

  public RateLimit {
    requireNonNull(zone, "zone");
    requireNonNull(allowlist, "allowlist");
    if (perSecond < 0 || perMinute < 0) {
      throw new IllegalArgumentException(
          "perSecond, perMinute: " + perSecond + ", " + perMinute + " (expected: >= 0)");
    }
    if (perSecond == 0 && perMinute == 0) {
      throw new IllegalArgumentException("perSecond, perMinute: 0, 0 (expected: one above 0)");
    }
    if (burstMultiplier < 1) {
      throw new IllegalArgumentException(
          "burstMultiplier: " + burstMultiplier + " (expected: >= 1)");
    }
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 200 to 599)");
    }
  }
}
