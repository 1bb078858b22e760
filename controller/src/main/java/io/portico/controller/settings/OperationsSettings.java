package io.portico.controller.settings;

import static java.util.Objects.requireNonNull;

import io.portico.controller.accesslog.AccessLogFormat;
import java.time.Duration;

/**
 * How Portico reports traffic, applies changes and stops.
 *
 * @param accessLog the access-log format, or {@code OFF}
 * @param accessLogQuery whether access-log lines carry query strings
 * @param shutdownDelay how long to keep serving after a stop was asked for, with readiness already
 *     failing, so that load balancers and endpoints drop this replica first
 * @param drainTimeout how long requests in flight may take to finish after that
 * @param syncHoldoff how long the sync loop waits after a change from the Kubernetes API for more
 *     changes, so that a burst (a rollout, {@code kubectl apply} of several objects) becomes one
 *     translation; the manifest folder coalesces its own file events instead
 * @param syncMaxDelay the longest a change waits for its translation while more keep coming
 * @param warmUp how long to run loopback traffic through the proxy's code after the listeners
 *     start, with readiness failing, so that the first real requests meet compiled code; zero for
 *     none
 */
public record OperationsSettings(
    AccessLogFormat accessLog,
    boolean accessLogQuery,
    Duration shutdownDelay,
    Duration drainTimeout,
    Duration syncHoldoff,
    Duration syncMaxDelay,
    Duration warmUp) {

  /** The default holdoff: see {@code --sync-holdoff}. */
  public static final Duration SYNC_HOLDOFF = Duration.ofMillis(10);

  /** The default cap on a change's wait: see {@code --sync-max-delay}. */
  public static final Duration SYNC_MAX_DELAY = Duration.ofMillis(200);

  public OperationsSettings {
    requireNonNull(accessLog, "accessLog");
    requireNonNull(shutdownDelay, "shutdownDelay");
    requireNonNull(drainTimeout, "drainTimeout");
    requireNonNull(syncHoldoff, "syncHoldoff");
    requireNonNull(syncMaxDelay, "syncMaxDelay");
    requireNonNull(warmUp, "warmUp");
    if (warmUp.isNegative()) {
      throw new IllegalArgumentException("warmUp: " + warmUp + " (expected: zero or more)");
    }
  }

  /**
   * No access log, no shutdown delay, a 30 s drain, the default sync timing and no warm-up: what
   * tests and embedders want.
   */
  public static OperationsSettings defaults() {
    return new OperationsSettings(
        AccessLogFormat.OFF,
        false,
        Duration.ZERO,
        Duration.ofSeconds(30),
        SYNC_HOLDOFF,
        SYNC_MAX_DELAY,
        Duration.ZERO);
  }
}
