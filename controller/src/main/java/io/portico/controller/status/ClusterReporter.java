package io.portico.controller.status;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.portico.controller.translate.ClusterSnapshot;
import io.portico.controller.translate.ObjectKey;
import io.portico.controller.translate.Translation;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's work: one replica, elected on a {@code coordination.k8s.io} Lease, writes Ingress
 * status and Events. Every replica serves traffic whether or not it leads; losing the Lease only
 * stops the writing.
 *
 * <p>All writes happen on one thread, after each translation, when leadership is gained, and when
 * the published Service's address changes. Bursts coalesce: only the latest state is written.
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
   * @param leaseDuration how long a Lease stays valid without renewal
   * @param renewDeadline how long the leader keeps trying to renew before giving up
   * @param retryPeriod how often candidates try to acquire
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
    }
  }

  private final KubernetesClient client;
  private final Settings settings;
  private final Supplier<ClusterSnapshot> snapshots;
  private final StatusWriter status;
  private final EventRecorder events;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "portico-status");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicBoolean queued = new AtomicBoolean();
  private volatile boolean leading;
  private volatile Translation latest;
  private volatile Service publishedService;
  private SharedIndexInformer<Service> publishInformer;
  private CompletableFuture<?> election;

  public ClusterReporter(
      KubernetesClient client,
      Settings settings,
      Supplier<ClusterSnapshot> snapshots,
      Clock clock) {
    this.client = requireNonNull(client, "client");
    this.settings = requireNonNull(settings, "settings");
    this.snapshots = requireNonNull(snapshots, "snapshots");
    this.status = new StatusWriter(client);
    this.events = new EventRecorder(client, settings.identity(), clock);
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
                      .inform(new PublishServiceHandler(), 0);
            });
    LeaderElector elector =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName("portico")
                    .withLock(
                        new LeaseLock(
                            settings.electionNamespace(),
                            settings.electionId(),
                            settings.identity()))
                    .withLeaseDuration(settings.leaseDuration())
                    .withRenewDeadline(settings.renewDeadline())
                    .withRetryPeriod(settings.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            this::startedLeading, this::stoppedLeading, this::newLeader))
                    .build())
            .build();
    election = elector.start();
  }

  /** Whether this replica holds the Lease now. */
  public boolean leading() {
    return leading;
  }

  /** Called with every translation (on the sync thread): schedules the writing. */
  public void translated(Translation translation) {
    latest = translation;
    schedule();
  }

  private void startedLeading() {
    leading = true;
    LOG.info(
        "event=leader_elected identity={} lease={}/{}",
        settings.identity(),
        settings.electionNamespace(),
        settings.electionId());
    schedule();
  }

  private void stoppedLeading() {
    leading = false;
    LOG.info("event=leader_lost identity={}", settings.identity());
  }

  private void newLeader(String identity) {
    LOG.debug("event=leader_observed leader={}", identity);
  }

  private void schedule() {
    if (queued.compareAndSet(false, true)) {
      worker.execute(this::write);
    }
  }

  private void write() {
    queued.set(false);
    Translation translation = latest;
    if (!leading || translation == null) {
      return;
    }
    try {
      Map<ObjectKey, Ingress> ingresses = new HashMap<>();
      for (Ingress ingress : snapshots.get().ingresses()) {
        ingresses.put(ObjectKey.of(ingress), ingress);
      }
      events.record(translation, ingresses);
      if (settings.updateStatus()) {
        status.reconcile(
            ingresses.values(), new HashSet<>(translation.ownedIngresses()), addresses());
      }
    } catch (RuntimeException e) {
      LOG.warn("event=status_failed error=\"{}\"", e.toString());
    }
  }

  private List<IngressLoadBalancerIngress> addresses() {
    if (!settings.publishStatusAddresses().isEmpty()) {
      return PublishedAddresses.fromStatusAddresses(settings.publishStatusAddresses());
    }
    return PublishedAddresses.fromService(publishedService);
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
      election.cancel(true);
    }
    if (publishInformer != null) {
      publishInformer.close();
    }
    worker.shutdownNow();
  }
}
