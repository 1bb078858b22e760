package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * When a failed attempt is tried again on the next endpoint: ingress-nginx's {@code
 * proxy-next-upstream}, {@code proxy-next-upstream-tries} and {@code proxy-next-upstream-timeout}.
 *
 * <p>Whatever the conditions say, a request whose body already went (in part) to a backend is never
 * sent again, and a non-idempotent one (POST, LOCK, PATCH) only with {@link
 * Condition#NON_IDEMPOTENT}, unless the failed attempt never reached the backend (no connection).
 *
 * @param conditions what counts as a failure worth another endpoint; empty means {@code off}
 * @param tries the most attempts in all, the first included; 0 for no limit but the endpoints
 * @param timeoutMillis the longest time from the first attempt after which no new one starts; 0 for
 *     none
 */
public record RetryPolicy(Set<Condition> conditions, int tries, long timeoutMillis) {

  /** What makes an attempt worth repeating on the next endpoint. */
  public enum Condition {
    /**
     * The connection could not be made, or failed (or the backend broke HTTP: nginx's {@code
     * invalid_header}), before a response head.
     */
    ERROR,
    /** Connecting, or waiting for the response head, took too long. */
    TIMEOUT,
    /** The backend answered 403. */
    HTTP_403,
    /** The backend answered 404. */
    HTTP_404,
    /** The backend answered 429. */
    HTTP_429,
    /** The backend answered 500. */
    HTTP_500,
    /** The backend answered 502. */
    HTTP_502,
    /** The backend answered 503. */
    HTTP_503,
    /** The backend answered 504. */
    HTTP_504,
    /** Non-idempotent requests may be repeated too. */
    NON_IDEMPOTENT
  }

  /** ingress-nginx's default: {@code error timeout}, 3 tries, no time limit. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Set.of(Condition.ERROR, Condition.TIMEOUT), 3, 0);

  /** {@code proxy-next-upstream: off}: one attempt. */
  public static final RetryPolicy OFF = new RetryPolicy(Set.of(), 1, 0);

  public RetryPolicy {
    requireNonNull(conditions, "conditions");
    conditions = Set.copyOf(conditions);
    if (tries < 0) {
      throw new IllegalArgumentException("tries: " + tries + " (expected: >= 0)");
    }
    if (timeoutMillis < 0) {
      throw new IllegalArgumentException("timeoutMillis: " + timeoutMillis + " (expected: >= 0)");
    }
  }

  /** Whether {@code condition} is one to try the next endpoint on. */
  public boolean on(Condition condition) {
    return conditions.contains(condition);
  }

  /** Whether a backend's answer with {@code status} is tried again elsewhere. */
  public boolean onStatus(int status) {
    return switch (status) {
      case 403 -> on(Condition.HTTP_403);
      case 404 -> on(Condition.HTTP_404);
      case 429 -> on(Condition.HTTP_429);
      case 500 -> on(Condition.HTTP_500);
      case 502 -> on(Condition.HTTP_502);
      case 503 -> on(Condition.HTTP_503);
      case 504 -> on(Condition.HTTP_504);
      default -> false;
    };
  }

  /** Whether another attempt may start after {@code made} attempts. */
  public boolean allowsAnother(int made) {
    return !conditions.isEmpty() && (tries == 0 || made < tries);
  }
}
