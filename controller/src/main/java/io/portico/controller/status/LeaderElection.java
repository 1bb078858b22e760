package io.portico.controller.status;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Competes for the Lease for as long as the replica runs. fabric8's {@code LeaderElector} serves
 * one round: it acquires the Lease, renews it, and ends for good once a renewal misses the renew
 * deadline (an API outage longer than that is enough) or another replica holds the Lease. Each time
 * a round ends, a new elector enters the election after a backoff: the retry period after a round
 * that led, doubling up to the Lease duration after rounds that ended without leading.
 *
 * <p>Whether the Lease is held is {@link LeaseHold}'s answer, on this replica's own clock; the
 * elector's callbacks only log and ask for the writes that leading calls for. A failing Lease call
 * is logged when it starts failing (and again if the failure changes), not on every retry.
 */
final class LeaderElection implements AutoCloseable, RoundLock.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  private final KubernetesClient client;
  private final ClusterReporter.Settings settings;
  private final LeaseHold hold;
  private final Runnable leading;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "portico-election");
            thread.setDaemon(true);
            return thread;
          });
  private final Object guard = new Object();
  // Guarded by guard.
  private boolean closed;
  private @Nullable Round current;
  private @Nullable ScheduledFuture<?> next;
  private int roundsWithoutLeading;
  // The operation and status code of the failure last logged, null while calls succeed.
  private volatile @Nullable String failing;

  /**
   * @param client the client for the Lease's calls; each attempt is retried by the election, so the
   *     client should not retry on its own
   * @param settings the Lease and its timing
   * @param hold where the Lease's holding is tracked
   * @param leading called when this replica starts leading, or holds a lapsed Lease again
   */
  LeaderElection(
      KubernetesClient client,
      ClusterReporter.Settings settings,
      LeaseHold hold,
      Runnable leading) {
    this.client = requireNonNull(client, "client");
    this.settings = requireNonNull(settings, "settings");
    this.hold = requireNonNull(hold, "hold");
    this.leading = requireNonNull(leading, "leading");
  }

  /** Enters the election, and starts watching for a Lease that lapses by this replica's clock. */
  void start() {
    scheduler.execute(this::enter);
    long period = settings.retryPeriod().toNanos();
    scheduler.scheduleWithFixedDelay(this::reportLapse, period, period, TimeUnit.NANOSECONDS);
  }

  private void enter() {
    Round round;
    synchronized (guard) {
      if (closed) {
        return;
      }
      round = new Round();
      current = round;
    }
    // Outside the guard: fabric8 may call back into this class from its own threads.
    try {
      round.start();
    } catch (RuntimeException e) {
      ended(round, e);
    }
  }

  private boolean closed() {
    synchronized (guard) {
      return closed;
    }
  }

  private void ended(Round round, Throwable failure) {
    round.leaseLock.end();
    // Whatever fabric8 last said, a round that ended renews nothing.
    hold.released();
    if (failure != null && !(failure instanceof CancellationException)) {
      LOG.warn(
          "event=leader_election_failed identity={} error=\"{}\"",
          settings.identity(),
          failure.toString());
    }
    synchronized (guard) {
      if (closed || round != current) {
        return;
      }
      roundsWithoutLeading = round.led ? 0 : roundsWithoutLeading + 1;
      Duration delay = backoff(settings, roundsWithoutLeading);
      LOG.info(
          "event=leader_election_restart identity={} delay_ms={}",
          settings.identity(),
          delay.toMillis());
      next = scheduler.schedule(this::enter, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** The retry period, doubled for each failure in a row, at most the Lease duration. */
  static Duration backoff(ClusterReporter.Settings settings, int failures) {
    Duration delay = settings.retryPeriod();
    for (int i = 0; i < failures && delay.compareTo(settings.leaseDuration()) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(settings.leaseDuration()) < 0 ? delay : settings.leaseDuration();
  }

  private void reportLapse() {
    hold.newLapse()
        .ifPresent(
            since ->
                LOG.warn(
                    "event=leader_lease_expired identity={} since_renewal_ms={} lease={}/{}",
                    settings.identity(),
                    since.toMillis(),
                    settings.electionNamespace(),
                    settings.electionId()));
  }

  @Override
  public void regained() {
    LOG.info(
        "event=leader_lease_renewed_late identity={} lease={}/{}",
        settings.identity(),
        settings.electionNamespace(),
        settings.electionId());
    leading.run();
  }

  @Override
  public void failed(String operation, KubernetesClientException failure) {
    if (failure.getCode() == HttpURLConnection.HTTP_CONFLICT) {
      // Another replica wrote the Lease first: an answer, not a failure.
      answered();
      return;
    }
    String kind = operation + " " + failure.getCode();
    if (kind.equals(failing)) {
      return;
    }
    failing = kind;
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    LOG.warn(
        "event=lease_call_failed identity={} lease={}/{} operation={} code={} error=\"{}\""
            + " (retrying every {} ms)",
        settings.identity(),
        settings.electionNamespace(),
        settings.electionId(),
        operation,
        failure.getCode(),
        cause.getMessage() != null ? cause.getMessage() : cause.toString(),
        settings.retryPeriod().toMillis());
  }

  @Override
  public void answered() {
    if (failing != null) {
      failing = null;
      LOG.info(
          "event=lease_call_recovered identity={} lease={}/{}",
          settings.identity(),
          settings.electionNamespace(),
          settings.electionId());
    }
  }

  /** One LeaderElector, from entering the election to losing the Lease. */
  private final class Round {
    final RoundLock leaseLock =
        new RoundLock(
            new LeaseLock(settings.electionNamespace(), settings.electionId(), settings.identity()),
            hold,
            LeaderElection.this);
    volatile boolean led;
    volatile @Nullable CompletableFuture<?> future;

    void start() {
      CompletableFuture<?> started =
          client
              .leaderElector()
              .withConfig(
                  new LeaderElectionConfigBuilder()
                      .withName("portico")
                      .withLock(leaseLock)
                      .withLeaseDuration(settings.leaseDuration())
                      .withRenewDeadline(settings.renewDeadline())
                      .withRetryPeriod(settings.retryPeriod())
                      .withReleaseOnCancel(true)
                      .withLeaderCallbacks(
                          new LeaderCallbacks(
                              this::startedLeading, this::stoppedLeading, this::saw))
                      .build())
              .build()
              .start();
      future = started;
      started.whenComplete((ignored, failure) -> ended(this, failure));
      if (closed()) {
        // close() ran before this round had a future to cancel.
        started.cancel(true);
      }
    }

    private void startedLeading() {
      led = true;
      LOG.info(
          "event=leader_elected identity={} lease={}/{}",
          settings.identity(),
          settings.electionNamespace(),
          settings.electionId());
      leading.run();
    }

    private void stoppedLeading() {
      hold.released();
      LOG.info("event=leader_lost identity={}", settings.identity());
    }

    private void saw(String leader) {
      LOG.debug("event=leader_observed leader={}", leader);
    }
  }

  /** Leaves the election, releasing the Lease if this replica holds it. */
  @Override
  public void close() {
    Round round;
    synchronized (guard) {
      closed = true;
      round = current;
      if (next != null) {
        next.cancel(false);
      }
    }
    if (round != null && round.future != null) {
      // Cancelling makes fabric8 release the Lease, on this thread, before it returns.
      round.future.cancel(true);
    }
    scheduler.shutdownNow();
  }
}
