package io.portico.controller.status;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;

/**
 * The Lease lock of one round of the election, as fabric8's {@code LeaderElector} uses it: every
 * attempt reads the Lease, then writes it. This lock times each attempt on the replica's monotonic
 * clock and tells {@link LeaseHold} when a write naming this replica succeeded (and when a release
 * did). Once the round has ended it refuses to write this replica's name, so an attempt still
 * running in an abandoned elector cannot take the Lease behind the next round's back; releasing
 * stays allowed.
 *
 * <p>fabric8 retries an attempt that fails with a {@link KubernetesClientException} and gives up on
 * the whole election on any other exception (a Lease without a renew time, for one): every failure
 * leaves here as a {@link KubernetesClientException}, and is reported to the {@link Listener}.
 */
final class RoundLock implements Lock {

  /** Told what the Lease calls come to. */
  interface Listener {
    /** A renewal brought back a Lease that had lapsed by this replica's clock. */
    void regained();

    /** A call to the API server for the Lease failed. */
    void failed(String operation, KubernetesClientException failure);

    /** A call to the API server for the Lease was answered. */
    void answered();
  }

  private final Lock lease;
  private final LeaseHold hold;
  private final Listener listener;
  private volatile boolean ended;
  // Written and read by the elector's attempts, which fabric8 runs one at a time.
  private volatile long attemptStartedAt;

  /**
   * @param lease the Lease lock to delegate to
   * @param hold told of every successful write of the Lease
   * @param listener told of the calls' outcomes
   */
  RoundLock(Lock lease, LeaseHold hold, Listener listener) {
    this.lease = requireNonNull(lease, "lease");
    this.hold = requireNonNull(hold, "hold");
    this.listener = requireNonNull(listener, "listener");
  }

  /** From now on, this round may not take or renew the Lease. */
  void end() {
    ended = true;
  }

  @Override
  public LeaderElectionRecord get(KubernetesClient client) {
    attemptStartedAt = hold.now();
    LeaderElectionRecord[] read = new LeaderElectionRecord[1];
    call("get", () -> read[0] = lease.get(client));
    return read[0];
  }

  @Override
  public void create(KubernetesClient client, LeaderElectionRecord record) {
    write("create", record, () -> lease.create(client, record));
  }

  @Override
  public void update(KubernetesClient client, LeaderElectionRecord record) {
    write("update", record, () -> lease.update(client, record));
  }

  private void write(String operation, LeaderElectionRecord record, Runnable write) {
    boolean ours = identity().equals(record.getHolderIdentity());
    if (ours && ended) {
      throw new KubernetesClientException(
          "election round ended: not taking " + describe() + " in it any more");
    }
    long startedAt = attemptStartedAt;
    call(operation, write);
    if (!ours) {
      hold.released();
    } else if (hold.renewed(startedAt)) {
      listener.regained();
    }
  }

  private void call(String operation, Runnable call) {
    KubernetesClientException failure;
    try {
      call.run();
      listener.answered();
      return;
    } catch (KubernetesClientException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new KubernetesClientException(operation + " " + describe() + ": " + e, e);
    }
    listener.failed(operation, failure);
    throw failure;
  }

  @Override
  public String identity() {
    return lease.identity();
  }

  @Override
  public String describe() {
    return lease.describe();
  }
}
