package io.portico.controller.source;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.Kinds;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.snapshot.SnapshotKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster state from the Kubernetes API, through fabric8 shared informers on Ingresses,
 * IngressClasses, Services, EndpointSlices (or Endpoints), TLS and Opaque Secrets and ConfigMaps
 * (the controller ConfigMap, and those its keys and Ingress annotations name).
 *
 * <p>Informer callbacks do little work: each puts the object into (or takes it out of) the source's
 * snapshot, a copy-on-write structure where that costs one small hash shard, and then, after a
 * cheap relevance check (a resync of an unchanged object, or a Service, slice or Secret no Ingress
 * refers to, is not a change), asks the sync loop for a rebuild. So {@link #snapshot()} costs
 * nothing per object, however many there are. After the first list and after every relist the
 * snapshot is read again from the informers' stores, which are the reference. When the API server
 * is out of reach the informers retry with backoff and the last good configuration keeps serving;
 * the outage is logged once when it starts and once, with its length, when it ends. Then every
 * informer is replaced by a fresh one (a new list), so that a delete the API server no longer
 * remembers cannot be missed. Objects lose the metadata Portico never reads on arrival ({@link
 * MetadataTrim}), and an object that arrives again unchanged does not replace the copy the snapshot
 * shares with the informer ({@link ReplayKeepingStore}). Those shared copies are never modified
 * after that: fabric8 replaces an object on every update (the rule of the {@linkplain
 * io.portico.controller.snapshot snapshot package}).
 *
 * <p>Each kind of the snapshot ({@link Kinds}) has one watch here, with what makes a change to it
 * relevant; a new kind adds one.
 */
public final class KubernetesSource implements StateSource {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesSource.class);
  private static final String TLS_SECRET_TYPE = "kubernetes.io/tls";
  private static final String OPAQUE_SECRET_TYPE = "Opaque";
  // The Secret types Portico reads: certificates, and the users of basic auth.
  private static final List<String> SECRET_TYPES = List.of(TLS_SECRET_TYPE, OPAQUE_SECRET_TYPE);
  private static final String GATEWAY_API_GROUP = "gateway.networking.k8s.io";

  /** Which API serves the endpoints of Services. */
  public enum EndpointsApi {
    ENDPOINTSLICES,
    ENDPOINTS
  }

  /**
   * What to watch.
   *
   * @param namespaces the namespaces to watch; empty means all
   * @param endpointsApi EndpointSlices (default) or the older Endpoints
   * @param syncTimeout how long start-up waits for every informer's first list
   * @param configMap the controller ConfigMap ({@code --configmap}), watched with the other
   *     ConfigMaps of {@code namespaces}, or by name when its namespace is not among them; empty
   *     for none
   * @param gatewayApi whether to watch the Gateway API kinds (and Namespaces), where the API server
   *     serves them
   */
  public record Settings(
      List<String> namespaces,
      EndpointsApi endpointsApi,
      Duration syncTimeout,
      Optional<ObjectKey> configMap,
      boolean gatewayApi) {
    public Settings {
      namespaces = List.copyOf(namespaces);
      requireNonNull(endpointsApi, "endpointsApi");
      requireNonNull(syncTimeout, "syncTimeout");
      requireNonNull(configMap, "configMap");
    }

    /** Settings that watch no ConfigMap, and the Gateway API kinds where they are served. */
    public Settings(List<String> namespaces, EndpointsApi endpointsApi, Duration syncTimeout) {
      this(namespaces, endpointsApi, syncTimeout, Optional.empty(), true);
    }

    /** These settings, watching the controller ConfigMap {@code configMap} when present. */
    public Settings withConfigMap(Optional<ObjectKey> configMap) {
      return new Settings(namespaces, endpointsApi, syncTimeout, configMap, gatewayApi);
    }

    /** These settings, watching the Gateway API kinds (where served) or not. */
    public Settings withGatewayApi(boolean watch) {
      return new Settings(namespaces, endpointsApi, syncTimeout, configMap, watch);
    }
  }

  /**
   * Whether a Service, Secret or ConfigMap matters to the current configuration: what the latest
   * published translation refers to (see {@link #translationPublished()}).
   */
  public interface References {
    boolean service(ObjectKey service);

    boolean secret(ObjectKey secret);

    /** A ConfigMap other than the controller's, e.g. one named by {@code custom-headers}. */
    boolean configMap(ObjectKey configMap);
  }

  private final KubernetesClient client;
  private final Settings settings;
  private final References references;
  private volatile ChangeListener listener = ChangeListener.NONE;
  private final List<Watch<? extends HasMetadata>> watches = new ArrayList<>();
  // The Gateway API CRDs read at start-up, metadata only.
  private final List<CustomResourceDefinition> gatewayCrds = new ArrayList<>();
  private final ScheduledExecutorService monitor =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "portico-api-monitor");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean synced;
  private final DeferredRelevance deferred = new DeferredRelevance();
  private volatile @Nullable Instant outageStart;
  // The objects of every informer, updated by the callbacks; guarded by itself.
  private final Object objectsLock = new Object();
  private ClusterSnapshot.Builder objects = ClusterSnapshot.builder();
  private @Nullable ClusterSnapshot snapshot;

  /**
   * @param references what the configuration refers to, for the relevance of changes
   */
  public KubernetesSource(KubernetesClient client, Settings settings, References references) {
    this.client = requireNonNull(client, "client");
    this.settings = requireNonNull(settings, "settings");
    this.references = requireNonNull(references, "references");
  }

  /**
   * Starts the informers and waits for their first list; from then on, relevant changes go to
   * {@code changes}, from informer threads, each on its own (the listener coalesces them).
   */
  @Override
  public void start(ChangeListener changes) throws Exception {
    this.listener = requireNonNull(changes, "changes");
    // One watch per kind of the snapshot (see Kinds), with what makes a change to it relevant.
    watchAllNamespaces(Kinds.INGRESS, c -> c.network().v1().ingresses(), o -> true);
    add(
        Kinds.INGRESS_CLASS,
        () -> client.network().v1().ingressClasses().runnableInformer(0),
        o -> true);
    watchAllNamespaces(Kinds.SERVICE, c -> c.services(), s -> references.service(ObjectKey.of(s)));
    if (settings.endpointsApi() == EndpointsApi.ENDPOINTSLICES) {
      watchAllNamespaces(
          Kinds.ENDPOINT_SLICE,
          c -> c.discovery().v1().endpointSlices(),
          slice -> references.service(sliceService(slice)));
    } else {
      watchAllNamespaces(
          Kinds.ENDPOINTS, c -> c.endpoints(), e -> references.service(ObjectKey.of(e)));
    }
    watchSecrets();
    if (settings.gatewayApi()) {
      watchGatewayApi();
    }
    // ConfigMaps of the watched namespaces: annotations (custom-headers) and the controller
    // ConfigMap (add-headers) name them at run time, so no list of names is known in advance.
    // Relevant when the configuration refers to one, and the controller ConfigMap always.
    Optional<ObjectKey> controllerConfigMap = settings.configMap();
    watchAllNamespaces(
        Kinds.CONFIG_MAP,
        c -> c.configMaps(),
        c -> {
          ObjectKey key = ObjectKey.of(c);
          return controllerConfigMap.filter(key::equals).isPresent() || references.configMap(key);
        });
    // The controller ConfigMap outside the watched namespaces: one object, by name (a list and
    // watch with a metadata.name field selector, which RBAC can limit to that name). Any change to
    // it is relevant.
    controllerConfigMap
        .filter(
            key ->
                !settings.namespaces().isEmpty()
                    && !settings.namespaces().contains(key.namespace()))
        .ifPresent(
            key ->
                add(
                    Kinds.CONFIG_MAP,
                    () ->
                        client
                            .configMaps()
                            .inNamespace(key.namespace())
                            .withName(key.name())
                            .runnableInformer(0),
                    o -> true));
    try {
      startAll(watches.stream().map(Watch::current).toList());
    } catch (TimeoutException e) {
      close();
      throw new java.io.IOException(
          "the Kubernetes API at "
              + client.getMasterUrl()
              + " did not answer the first list within "
              + settings.syncTimeout().toSeconds()
              + " s (check --kubeconfig, the network and the credentials)",
          e);
    } catch (Exception e) {
      close();
      throw e;
    }
    reloadFromStores();
    synced = true;
    LOG.info(
        "event=informers_synced namespaces={} endpoints_api={}",
        settings.namespaces().isEmpty() ? "all" : String.join(",", settings.namespaces()),
        settings.endpointsApi().name().toLowerCase(java.util.Locale.ROOT));
    monitor.scheduleWithFixedDelay(this::checkConnection, 500, 500, TimeUnit.MILLISECONDS);
  }

  private void startAll(List<? extends SharedIndexInformer<?>> informers) throws Exception {
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (SharedIndexInformer<?> informer : informers) {
      started.add(informer.start().toCompletableFuture());
    }
    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
        .get(settings.syncTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T extends HasMetadata, L> void watchAllNamespaces(
      SnapshotKind<T> kind,
      Function<KubernetesClient, MixedOperation<T, L, ? extends Resource<T>>> operation,
      Predicate<T> relevant) {
    if (settings.namespaces().isEmpty()) {
      add(kind, () -> operation.apply(client).inAnyNamespace().runnableInformer(0), relevant);
      return;
    }
    for (String namespace : settings.namespaces()) {
      add(kind, () -> operation.apply(client).inNamespace(namespace).runnableInformer(0), relevant);
    }
  }

  /**
   * The Gateway API kinds the API server serves (BackendTLSPolicies only where their CRD is
   * installed: many clusters have the others without it), and Namespaces (for the labels {@code
   * allowedRoutes} selectors read). Which kinds are served is asked once, at start-up, of the API
   * server's discovery; without any (the CRDs are not installed), that is logged once and Ingresses
   * are served as before. The CRDs' bundle versions are read once too, where Portico may read them.
   */
  private void watchGatewayApi() {
    java.util.Set<String> v1 = servedResources("v1");
    java.util.Set<String> v1beta1 = servedResources("v1beta1");
    if (v1.isEmpty() && v1beta1.isEmpty()) {
      LOG.info(
          "event=gateway_api_absent group={} detail=\"the Gateway API CRDs are not installed;"
              + " Ingresses are served as before (install them and restart to serve Gateways)\"",
          GATEWAY_API_GROUP);
      return;
    }
    List<String> watched = new ArrayList<>();
    if (v1.contains("gatewayclasses")) {
      add(
          Kinds.GATEWAY_CLASS,
          () -> client.resources(GatewayClass.class).runnableInformer(0),
          o -> true);
      watched.add("gatewayclasses");
    }
    if (v1.contains("gateways")) {
      watchAllNamespaces(Kinds.GATEWAY, c -> c.resources(Gateway.class), o -> true);
      watched.add("gateways");
    }
    if (v1.contains("httproutes")) {
      watchAllNamespaces(Kinds.HTTP_ROUTE, c -> c.resources(HTTPRoute.class), o -> true);
      watched.add("httproutes");
    }
    if (v1.contains("grpcroutes")) {
      watchAllNamespaces(Kinds.GRPC_ROUTE, c -> c.resources(GRPCRoute.class), o -> true);
      watched.add("grpcroutes");
    }
    if (v1.contains("referencegrants")) {
      watchAllNamespaces(Kinds.REFERENCE_GRANT, c -> c.resources(ReferenceGrant.class), o -> true);
      watched.add("referencegrants.v1");
    } else if (v1beta1.contains("referencegrants")) {
      watchAllNamespaces(
          Kinds.REFERENCE_GRANT_V1BETA1,
          c -> c.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant.class),
          o -> true);
      watched.add("referencegrants.v1beta1");
    }
    if (v1.contains("backendtlspolicies")) {
      watchAllNamespaces(
          Kinds.BACKEND_TLS_POLICY, c -> c.resources(BackendTLSPolicy.class), o -> true);
      watched.add("backendtlspolicies");
    }
    add(Kinds.NAMESPACE, () -> client.namespaces().runnableInformer(0), o -> true);
    readGatewayCrds();
    LOG.info("event=gateway_api_watched resources={}", String.join(",", watched));
  }

  /** The resources the API server serves in the Gateway API group at {@code version}. */
  private java.util.Set<String> servedResources(String version) {
    try {
      APIResourceList list = client.getApiResources(GATEWAY_API_GROUP + "/" + version);
      java.util.Set<String> names = new java.util.TreeSet<>();
      if (list != null && list.getResources() != null) {
        for (APIResource resource : list.getResources()) {
          names.add(resource.getName());
        }
      }
      return names;
    } catch (KubernetesClientException e) {
      LOG.debug("event=discovery_failed version={} error=\"{}\"", version, e.toString());
      return java.util.Set.of();
    }
  }

  /**
   * The Gateway API CRDs, metadata only, for their bundle versions; none when Portico may not read
   * them (then the version is not checked).
   */
  private void readGatewayCrds() {
    for (String kind :
        List.of("gatewayclasses", "gateways", "httproutes", "grpcroutes", "referencegrants")) {
      String name = kind + "." + GATEWAY_API_GROUP;
      try {
        CustomResourceDefinition crd =
            client.apiextensions().v1().customResourceDefinitions().withName(name).get();
        if (crd != null) {
          CustomResourceDefinition metadataOnly = new CustomResourceDefinition();
          metadataOnly.setMetadata(crd.getMetadata());
          MetadataTrim.apply(metadataOnly);
          gatewayCrds.add(metadataOnly);
        }
      } catch (KubernetesClientException e) {
        LOG.debug("event=crd_unreadable name={} code={}", name, e.getCode());
      }
    }
    synchronized (objectsLock) {
      gatewayCrds.forEach(objects::add);
      snapshot = null;
    }
  }

  /**
   * Secrets of type kubernetes.io/tls (certificates) and Opaque (the users of basic auth), one
   * informer per type, each with a {@code type} field selector: other Secrets (service account
   * tokens, registry credentials, Helm releases) are none of Portico's business and never reach it.
   * The API offers no narrower watch for the auth Secrets: Ingress annotations name them at run
   * time, and a field selector takes one name, so Portico holds the Opaque Secrets of the watched
   * namespaces, and a change to one is relevant only when the configuration refers to it.
   */
  private void watchSecrets() {
    Predicate<Secret> relevant =
        secret -> servable(secret) && references.secret(ObjectKey.of(secret));
    for (String type : SECRET_TYPES) {
      if (settings.namespaces().isEmpty()) {
        add(
            Kinds.SECRET,
            () -> client.secrets().inAnyNamespace().withField("type", type).runnableInformer(0),
            relevant);
        continue;
      }
      for (String namespace : settings.namespaces()) {
        add(
            Kinds.SECRET,
            () ->
                client.secrets().inNamespace(namespace).withField("type", type).runnableInformer(0),
            relevant);
      }
    }
  }

  private <T extends HasMetadata> void add(
      SnapshotKind<T> kind, Supplier<SharedIndexInformer<T>> factory, Predicate<T> relevant) {
    watches.add(
        new Watch<>(factory, kind.name(), informer -> new ChangeHandler<>(kind.name(), relevant)));
  }

  /**
   * One informer and the means to replace it with a fresh one (a new list, then a new watch), which
   * is how state is repaired after the API server was out of reach.
   */
  private static final class Watch<T extends HasMetadata> {
    private final Supplier<SharedIndexInformer<T>> factory;
    private final String kind;
    private final Function<SharedIndexInformer<T>, ChangeHandler<T>> handlers;
    private volatile SharedIndexInformer<T> current;
    private volatile ChangeHandler<T> handler;

    // The handler of the informer create() made last, until replace() makes it current; create()
    // runs in the constructor.
    @SuppressWarnings("NullAway.Init")
    private ChangeHandler<T> pending;

    Watch(
        Supplier<SharedIndexInformer<T>> factory,
        String kind,
        Function<SharedIndexInformer<T>, ChangeHandler<T>> handlers) {
      this.factory = factory;
      this.kind = kind;
      this.handlers = handlers;
      this.current = create();
      this.handler = pending;
    }

    SharedIndexInformer<T> current() {
      return current;
    }

    SharedIndexInformer<T> create() {
      SharedIndexInformer<T> informer = factory.get();
      informer.itemStore(new ReplayKeepingStore<>());
      informer.exceptionHandler(
          (isStarted, error) -> {
            LOG.debug("event=watch_error kind={} error=\"{}\"", kind, error.toString());
            return true;
          });
      pending = handlers.apply(informer);
      informer.addEventHandler(pending);
      return informer;
    }

    /**
     * Makes a fresh informer the current one. The old one's callbacks stop counting at once: a late
     * event from it must not bring back an object the fresh list no longer has.
     */
    void replace(SharedIndexInformer<T> fresh, ChangeHandler<?> freshHandler) {
      SharedIndexInformer<T> old = current;
      handler.retire();
      current = fresh;
      @SuppressWarnings("unchecked")
      ChangeHandler<T> typed = (ChangeHandler<T>) freshHandler;
      handler = typed;
      old.close();
    }
  }

  private static ObjectKey sliceService(HasMetadata slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(ClusterSnapshot.SERVICE_NAME_LABEL);
    return new ObjectKey(ObjectKey.of(slice).namespace(), service == null ? "" : service);
  }

  /**
   * Records changes: into the snapshot's objects, then, when relevant, as a rebuild request. The
   * only work done on informer threads.
   */
  private final class ChangeHandler<T extends HasMetadata> implements ResourceEventHandler<T> {
    private final String kind;
    private final Predicate<T> relevant;
    private volatile boolean retired;

    ChangeHandler(String kind, Predicate<T> relevant) {
      this.kind = kind;
      this.relevant = relevant;
    }

    /** From now on, this informer's events no longer change the snapshot. */
    void retire() {
      retired = true;
    }

    @Override
    public void onAdd(T object) {
      MetadataTrim.apply(object);
      mirror(null, object);
      changed("added", object);
    }

    @Override
    public void onUpdate(T old, T updated) {
      MetadataTrim.apply(updated);
      // fabric8 delivers a replayed object with an unchanged version only to handlers that resync,
      // which these do not; the check covers an API server that sends one as an update anyway.
      if (Objects.equals(
          old.getMetadata().getResourceVersion(), updated.getMetadata().getResourceVersion())) {
        return;
      }
      mirror(old, updated);
      if (judge(updated, () -> relevant.test(old) || relevant.test(updated))) {
        request("updated", updated);
      }
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
      mirror(object, null);
      changed("deleted", object);
    }

    private void mirror(@Nullable T removed, @Nullable T added) {
      if (retired) {
        return;
      }
      synchronized (objectsLock) {
        if (removed != null) {
          objects.remove(removed);
        }
        if (added != null && servable(added)) {
          objects.add(added);
        }
        snapshot = null;
      }
    }

    private void changed(String what, T object) {
      if (judge(object, () -> relevant.test(object))) {
        request(what, object);
      }
    }

    /** Whether a change is relevant now; one that is not is judged again after the next publish. */
    private boolean judge(T object, BooleanSupplier relevantNow) {
      return deferred.judge(new Changed(kind, ObjectKey.of(object)), relevantNow);
    }

    private void request(String what, T object) {
      if (synced) {
        listener.changed("objects changed");
      }
      if (LOG.isDebugEnabled()) {
        LOG.debug("event=object_{} kind={} object={}", what, kind, ObjectKey.of(object));
      }
    }
  }

  /** A change's identity among those judged irrelevant: only an object's latest change counts. */
  private record Changed(String kind, ObjectKey key) {}

  /**
   * Called after each translation is published, before the next one starts: a change judged
   * irrelevant while it was translated, against the translation before, and that it refers to, asks
   * for another translation ({@link DeferredRelevance}).
   */
  public void translationPublished() {
    if (deferred.relevantToNewTranslation() && synced) {
      listener.changed("objects changed during a translation");
    }
  }

  private void checkConnection() {
    boolean watching = watches.stream().allMatch(w -> w.current().isWatching());
    Instant started = outageStart;
    if (!watching && started == null) {
      outageStart = Instant.now();
      LOG.warn(
          "event=api_server_unreachable url={} (the last good configuration keeps serving; reconnecting with backoff)",
          client.getMasterUrl());
    } else if (watching && started != null) {
      LOG.info(
          "event=api_server_reconnected outage_seconds={}",
          String.format("%.1f", Duration.between(started, Instant.now()).toMillis() / 1000.0));
      relist();
      outageStart = null;
      listener.changed("reconnected to the API server");
    }
  }

  /**
   * Replaces every informer with a fresh one. A resumed watch only reports what happens from the
   * resource version it resumes at; whatever the API server no longer remembers (a delete during a
   * long outage) would be missed. A fresh list cannot miss it.
   */
  private void relist() {
    List<Watch<? extends HasMetadata>> all = List.copyOf(watches);
    try {
      List<SharedIndexInformer<? extends HasMetadata>> fresh = new ArrayList<>();
      for (Watch<? extends HasMetadata> watch : all) {
        fresh.add(watch.create());
      }
      startAll(fresh);
      for (int i = 0; i < all.size(); i++) {
        replaceUnchecked(all.get(i), fresh.get(i));
      }
      reloadFromStores();
      LOG.info("event=relisted informers={}", all.size());
    } catch (Exception e) {
      LOG.warn("event=relist_failed error=\"{}\" (the resumed watches keep running)", e.toString());
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> void replaceUnchecked(
      Watch<T> watch, SharedIndexInformer<? extends HasMetadata> fresh) {
    watch.replace((SharedIndexInformer<T>) fresh, watch.pending);
  }

  /**
   * The informer's own copy of the object of this kind and key, or {@code null}: the snapshot is
   * meant to hold that very object, not a second copy of it.
   */
  @Nullable HasMetadata storedCopy(Class<? extends HasMetadata> kind, ObjectKey key) {
    for (Watch<? extends HasMetadata> watch : watches) {
      for (HasMetadata object : watch.current().getStore().list()) {
        if (kind.isInstance(object) && ObjectKey.of(object).equals(key)) {
          return object;
        }
      }
    }
    return null;
  }

  /** Whether every watch is connected to the API server. */
  public boolean apiServerUp() {
    return outageStart == null;
  }

  @Override
  public ClusterSnapshot snapshot() {
    synchronized (objectsLock) {
      if (snapshot == null) {
        snapshot = objects.build();
      }
      return snapshot;
    }
  }

  /**
   * Reads the snapshot's objects again from the informers' stores. Callbacks may lag behind a store
   * (they run after it is updated); those still queued then apply on top, in order, and the two
   * agree again once they have run.
   */
  private void reloadFromStores() {
    ClusterSnapshot.Builder fresh = ClusterSnapshot.builder();
    gatewayCrds.forEach(fresh::add);
    for (Watch<? extends HasMetadata> watch : watches) {
      for (HasMetadata object : watch.current().getStore().list()) {
        MetadataTrim.apply(object);
        if (servable(object)) {
          fresh.add(object);
        }
      }
    }
    synchronized (objectsLock) {
      objects = fresh;
      snapshot = null;
    }
  }

  /**
   * Only {@code kubernetes.io/tls} and Opaque Secrets are the snapshot's (the informers ask for no
   * other).
   */
  private static boolean servable(HasMetadata object) {
    return !(object instanceof Secret secret) || SECRET_TYPES.contains(secret.getType());
  }

  @Override
  public @Nullable String notReadyReason() {
    return synced ? null : "waiting for the informers' first list";
  }

  @Override
  public void close() {
    monitor.shutdownNow();
    watches.forEach(watch -> watch.current().close());
  }
}
