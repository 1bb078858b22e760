package io.portico.controller.status;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.portico.controller.gateway.GatewayView;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.translate.Translation;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's work: one replica, elected on a {@code coordination.k8s.io} Lease, writes Ingress
 * status and Events. Every replica serves traffic whether or not it leads; losing the Lease only
 * stops the writing.
 *
 * <p>All writes happen on one thread, after each translation, when leadership is gained, and when
 * the published Service's address changes. Bursts coalesce: only the latest state is written.
 *
 * <p>A write is made only while this replica holds the Lease by its own clock ({@link LeaseHold}):
 * checked right before each request, and the request dropped otherwise, for the next leader to
 * make. Writes are not retried by the client, and each must finish within half of the margin
 * between the renew deadline and the Lease duration, so that none lands once another replica may
 * have taken the Lease.
 */
public final class ClusterReporter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterReporter.class);

  /**
   * @param electionNamespace where the Lease lives
   * @param electionId the Lease's name
   * @param identity this replica's name in the Lease (the Pod name)
   * @param publishService {@code --publish-service}: the Service whose address to publish
   * @param publishStatusAddresses {@code --publish-status-address}: fixed addresses instead
   * @param updateStatus {@code --update-status}: whether to write status at all
   * @param leaseDuration how long a Lease stays valid without renewal, in whole seconds as the
   *     Lease records it
   * @param renewDeadline how long the leader keeps trying to renew before giving up; also how long
   *     after the start of its last successful renewal it writes
   * @param retryPeriod how often candidates try to acquire, and the leader to renew
   */
  public record Settings(
      String electionNamespace,
      String electionId,
      String identity,
      Optional<ObjectKey> publishService,
      List<String> publishStatusAddresses,
      boolean updateStatus,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod) {
    public Settings {
      requireNonNull(electionNamespace, "electionNamespace");
      requireNonNull(electionId, "electionId");
      requireNonNull(identity, "identity");
      requireNonNull(publishService, "publishService");
      publishStatusAddresses = List.copyOf(publishStatusAddresses);
      requireNonNull(leaseDuration, "leaseDuration");
      requireNonNull(renewDeadline, "renewDeadline");
      requireNonNull(retryPeriod, "retryPeriod");
      if (leaseDuration.toSeconds() < 1 || leaseDuration.toNanosPart() != 0) {
        throw new IllegalArgumentException(
            "leaseDuration: " + leaseDuration + " (expected: whole seconds, at least one)");
      }
      if (renewDeadline.compareTo(leaseDuration) >= 0
          || retryPeriod.compareTo(renewDeadline) >= 0
          || retryPeriod.isNegative()
          || retryPeriod.isZero()) {
        throw new IllegalArgumentException(
            "renewDeadline: "
                + renewDeadline
                + ", retryPeriod: "
                + retryPeriod
                + " (expected: 0 < retryPeriod < renewDeadline < leaseDuration "
                + leaseDuration
                + ")");
      }
    }

    /** How long a status or event write may take: half the margin the renew deadline leaves. */
    Duration writeTimeout() {
      return leaseDuration.minus(renewDeadline).dividedBy(2);
    }
  }

  private final KubernetesClient client;
  private final Settings settings;
  private final Supplier<ClusterSnapshot> snapshots;
  private final StatusWriter status;
  private final GatewayStatusWriter gatewayStatus;
  private final EventRecorder events;
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "portico-status");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicBoolean queued = new AtomicBoolean();
  private final LeaseHold lease;
  // Confined to the worker: passes in a row that asked for another.
  private int failedPasses;
  private volatile @Nullable Translation latest;
  private volatile @Nullable Service publishedService;
  private @Nullable SharedIndexInformer<Service> publishInformer;
  private @Nullable LeaderElection election;

  public ClusterReporter(
      KubernetesClient client,
      Settings settings,
      Supplier<ClusterSnapshot> snapshots,
      Clock clock) {
    this.client = requireNonNull(client, "client");
    this.settings = requireNonNull(settings, "settings");
    this.snapshots = requireNonNull(snapshots, "snapshots");
    KubernetesClient writes = withoutRetries(client, settings.writeTimeout());
    this.status = new StatusWriter(writes);
    this.gatewayStatus = new GatewayStatusWriter(writes, clock);
    this.events = new EventRecorder(writes, settings.identity(), clock);
    this.lease = new LeaseHold(settings.renewDeadline(), System::nanoTime);
  }

  /**
   * The same client (and connections), but a request that fails is not retried, and one that takes
   * longer than {@code timeout} fails: a retried write could land long after the Lease ran out.
   * Closing the original closes it.
   */
  private static KubernetesClient withoutRetries(KubernetesClient client, Duration timeout) {
    RequestConfig config =
        new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
            .withRequestRetryBackoffLimit(0)
            .withRequestTimeout(Math.toIntExact(timeout.toMillis()))
            .build();
    return client.newClient(config).adapt(KubernetesClient.class);
  }

  /** Starts competing for the Lease, and watching the published Service if there is one. */
  public void start() {
    settings
        .publishService()
        .ifPresent(
            key -> {
              publishInformer =
                  client
                      .services()
                      .inNamespace(key.namespace())
                      .withName(key.name())
                      .runnableInformer(0);
              // fabric8's default gives up for good on a watch that fails in some ways (a frame
              // cut short by an outage, for one): the address would never be followed again.
              publishInformer.exceptionHandler(
                  (started, error) -> {
                    LOG.debug("event=watch_error kind=Service name={} error=\"{}\"", key, error);
                    return true;
                  });
              publishInformer.addEventHandler(new PublishServiceHandler());
              publishInformer.run();
            });
    election =
        new LeaderElection(
            withoutRetries(client, settings.renewDeadline()), settings, lease, this::schedule);
    election.start();
  }

  /** Whether this replica holds the Lease now, by its own clock. */
  public boolean leading() {
    return lease.held();
  }

  /** Called with every translation (on the sync thread): schedules the writing. */
  public void translated(Translation translation) {
    latest = translation;
    schedule();
  }

  private void schedule() {
    if (queued.compareAndSet(false, true)) {
      try {
        worker.execute(this::write);
      } catch (RejectedExecutionException closed) {
        queued.set(false);
      }
    }
  }

  private void write() {
    queued.set(false);
    Translation translation = latest;
    if (translation == null || !lease.held()) {
      return;
    }
    WritePass pass = new WritePass(lease::held);
    try {
      ClusterSnapshot snapshot = snapshots.get();
      Map<ObjectKey, Ingress> ingresses = new HashMap<>();
      for (Ingress ingress : snapshot.ingresses()) {
        ingresses.put(ObjectKey.of(ingress), ingress);
      }
      events.record(translation, ingresses, pass);
      if (settings.updateStatus()) {
        List<IngressLoadBalancerIngress> addresses = addresses();
        // A refused Ingress is owned but not served: it must not show Portico's address.
        status.reconcile(
            ingresses.values(), new HashSet<>(translation.servedIngresses()), addresses, pass);
        gatewayStatus.reconcile(
            translation.gatewayStatus(), snapshot, gatewayAddresses(addresses), pass);
      }
    } catch (RuntimeException e) {
      LOG.warn("event=status_failed error=\"{}\"", e.toString());
    }
    if (pass.dropped() > 0) {
      // The Lease ran out by this replica's clock during the pass: whoever holds it next writes.
      LOG.info(
          "event=leader_writes_dropped identity={} reason=lease_not_held", settings.identity());
    }
    if (pass.again() && pass.dropped() == 0) {
      failedPasses++;
      Duration delay = LeaderElection.backoff(settings, failedPasses - 1);
      worker.schedule(this::schedule, delay.toNanos(), TimeUnit.NANOSECONDS);
    } else {
      failedPasses = 0;
    }
  }

  private List<IngressLoadBalancerIngress> addresses() {
    if (!settings.publishStatusAddresses().isEmpty()) {
      return PublishedAddresses.fromStatusAddresses(settings.publishStatusAddresses());
    }
    return PublishedAddresses.fromService(publishedService);
  }

  /** The published addresses as Gateway status addresses. */
  public static List<GatewayView.Address> gatewayAddresses(
      List<IngressLoadBalancerIngress> published) {
    List<GatewayView.Address> addresses = new java.util.ArrayList<>();
    for (IngressLoadBalancerIngress entry : published) {
      if (entry.getIp() != null && !entry.getIp().isEmpty()) {
        addresses.add(new GatewayView.Address("IPAddress", entry.getIp()));
      } else if (entry.getHostname() != null && !entry.getHostname().isEmpty()) {
        addresses.add(new GatewayView.Address("Hostname", entry.getHostname()));
      }
    }
    return addresses;
  }

  /** The addresses published now, as Ingress status carries them. */
  public List<IngressLoadBalancerIngress> publishedAddresses() {
    return addresses();
  }

  /** Tracks the published Service; a new address means new status everywhere. */
  private final class PublishServiceHandler implements ResourceEventHandler<Service> {
    @Override
    public void onAdd(Service service) {
      publishedService = service;
      schedule();
    }

    @Override
    public void onUpdate(Service old, Service updated) {
      publishedService = updated;
      if (!PublishedAddresses.key(PublishedAddresses.fromService(old))
          .equals(PublishedAddresses.key(PublishedAddresses.fromService(updated)))) {
        schedule();
      }
    }

    @Override
    public void onDelete(Service service, boolean finalStateUnknown) {
      publishedService = null;
    }
  }

  @Override
  public void close() {
    if (election != null) {
      election.close();
    }
    if (publishInformer != null) {
      publishInformer.close();
    }
    worker.shutdownNow();
  }
}
