package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.controller.annotations.AnnotationReader;
import io.portico.controller.config.ControllerConfig;
import io.portico.controller.gateway.GatewayApiStatus;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.router.balance.AffinityKey;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.RouteTable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One translation as its steps see it: the snapshot, the translator's inputs and incremental state,
 * and what the steps have found so far, in the order they run. Made by the {@link Translator} for
 * one call and dropped after it.
 *
 * <p>What passes from one step to the next: the controller config ({@code controller-config}), the
 * ownership of Ingresses ({@code ingress-ownership}), the owned Ingresses that changed ({@code
 * ingress-rules}), the hosts whose rules or fallbacks changed ({@code rule-claims}, {@code
 * default-backends}), then the parts of the {@link Translation}. Findings from every step are
 * collected here and sorted once at the end.
 */
public final class TranslationRun {

  private final ClusterSnapshot snapshot;
  private final TranslationState state;
  private final TranslatorSettings settings;
  private final Clock clock;
  private final AffinityKey affinityKey;
  private final TlsInputs tls;
  private final Optional<ControllerConfig> configAtStart;
  private final BackendResolver resolver;
  private final AnnotationReader annotationReader;
  private final List<Finding> findings = new ArrayList<>();

  // Found by the steps, in their order.
  private @Nullable ControllerConfig config;
  private boolean configChanged;
  private @Nullable IngressOwnership ownership;
  private boolean ownershipMayHaveChanged;
  private final List<IngressChange> ingressChanges = new ArrayList<>();
  private final Set<HostnamePattern> changedHosts = new HashSet<>();
  private boolean defaultRouteChanged;
  private @Nullable List<ObjectKey> ownedIngresses;
  private @Nullable Set<ObjectKey> referencedServices;
  private final Set<ObjectKey> referencedConfigMaps = new HashSet<>();
  private final Set<ObjectKey> referencedAuthSecrets = new HashSet<>();
  private @Nullable IngressAnnotations annotations;
  private @Nullable RouteTable routes;
  private @Nullable ServedCertificates certificates;
  private @Nullable Set<ObjectKey> referencedSecrets;
  private GatewayApiStatus gatewayStatus = GatewayApiStatus.NONE;

  TranslationRun(
      ClusterSnapshot snapshot,
      TranslationState state,
      TranslatorSettings settings,
      Clock clock,
      AffinityKey affinityKey,
      TlsInputs tls,
      Optional<ControllerConfig> configAtStart,
      AnnotationReader annotationReader) {
    this.snapshot = requireNonNull(snapshot, "snapshot");
    this.state = requireNonNull(state, "state");
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.affinityKey = requireNonNull(affinityKey, "affinityKey");
    this.tls = requireNonNull(tls, "tls");
    this.configAtStart = requireNonNull(configAtStart, "configAtStart");
    this.resolver =
        new BackendResolver(snapshot, state.resolutions, settings.allowExternalNameServices());
    this.annotationReader = requireNonNull(annotationReader, "annotationReader");
  }

  /** The objects to translate. */
  public ClusterSnapshot snapshot() {
    return snapshot;
  }

  /**
   * Whether this translation starts from nothing: the first one, or the first after a step threw.
   * Steps then read every object rather than what changed.
   */
  public boolean fromScratch() {
    return state.snapshot == null;
  }

  /**
   * The snapshot the incremental state reflects: that of the last successful translation, or {@code
   * null} when this one starts from scratch.
   */
  @Nullable ClusterSnapshot previous() {
    return state.snapshot;
  }

  /** The controller flags translation depends on. */
  public TranslatorSettings settings() {
    return settings;
  }

  /** Adds a finding to this translation's. */
  public void report(Finding finding) {
    findings.add(requireNonNull(finding, "finding"));
  }

  TranslationState state() {
    return state;
  }

  /** Resolves backends for this snapshot, once per Service port, with the memo of the state. */
  BackendResolver resolver() {
    return resolver;
  }

  /** Reads each Ingress's annotations. */
  AnnotationReader annotationReader() {
    return annotationReader;
  }

  AffinityKey affinityKey() {
    return affinityKey;
  }

  TlsInputs tls() {
    return tls;
  }

  /** The time certificate validity is judged by. */
  Instant now() {
    return clock.instant();
  }

  /**
   * The config the first successful translation of this translator had in force: the values of keys
   * that apply at start. Empty during that first translation.
   */
  Optional<ControllerConfig> configAtStart() {
    return configAtStart;
  }

  void config(ControllerConfig config, boolean changed) {
    this.config = config;
    this.configChanged = changed;
  }

  /**
   * The controller config in force: the ConfigMap's values, else the built-in defaults. Annotation
   * families read their defaults from it.
   */
  public ControllerConfig config() {
    return requireNonNull(config, "config: the controller-config step has not run");
  }

  /**
   * Whether the config in force differs from the last translation's, so that every Ingress must be
   * read again.
   */
  boolean configChanged() {
    return configChanged;
  }

  void ownership(IngressOwnership ownership, boolean mayHaveChanged) {
    this.ownership = ownership;
    this.ownershipMayHaveChanged = mayHaveChanged;
  }

  IngressOwnership ownership() {
    return requireNonNull(ownership, "ownership: the ingress-ownership step has not run");
  }

  /** Whether ownership may have changed for any Ingress, so that all must be looked at again. */
  boolean ownershipMayHaveChanged() {
    return ownershipMayHaveChanged;
  }

  void ingressChanged(IngressChange change) {
    ingressChanges.add(change);
  }

  /** The owned Ingresses this translation added, replaced or removed, in the order found. */
  List<IngressChange> ingressChanges() {
    return ingressChanges;
  }

  /** Records that the rules or the fallback of a host changed. */
  void hostChanged(HostnamePattern host) {
    changedHosts.add(host);
  }

  Set<HostnamePattern> changedHosts() {
    return changedHosts;
  }

  void defaultRouteChanged() {
    defaultRouteChanged = true;
  }

  boolean hasDefaultRouteChanged() {
    return defaultRouteChanged;
  }

  void ownedIngresses(List<ObjectKey> ownedIngresses) {
    this.ownedIngresses = ownedIngresses;
  }

  void referencedServices(Set<ObjectKey> referencedServices) {
    this.referencedServices = referencedServices;
  }

  Set<ObjectKey> referencedServices() {
    return requireNonNull(referencedServices, "referencedServices: no step named the Services");
  }

  /** Adds ConfigMaps the configuration refers to (besides the controller ConfigMap). */
  void referencedConfigMaps(Set<ObjectKey> configMaps) {
    referencedConfigMaps.addAll(configMaps);
  }

  /** Adds Secrets the owned Ingresses' annotations refer to ({@code auth-secret}). */
  void referencedAuthSecrets(Set<ObjectKey> secrets) {
    referencedAuthSecrets.addAll(secrets);
  }

  void annotations(IngressAnnotations annotations) {
    this.annotations = annotations;
  }

  void routes(RouteTable routes) {
    this.routes = routes;
  }

  /** The routing table so far, which the routing-table step made. */
  RouteTable routes() {
    return requireNonNull(routes, "routes: no step made the routing table");
  }

  void certificates(ServedCertificates certificates, Set<ObjectKey> referencedSecrets) {
    this.certificates = certificates;
    this.referencedSecrets = referencedSecrets;
  }

  /** The certificates so far, which the certificates step chose. */
  ServedCertificates certificates() {
    return requireNonNull(certificates, "certificates: no step chose the certificates");
  }

  Set<ObjectKey> referencedSecrets() {
    return requireNonNull(referencedSecrets, "referencedSecrets: no step named the Secrets");
  }

  void gatewayStatus(GatewayApiStatus gatewayStatus) {
    this.gatewayStatus = requireNonNull(gatewayStatus, "gatewayStatus");
  }

  /** What the steps produced, with the findings sorted. */
  Translation result() {
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(null);
    Set<ObjectKey> secrets =
        new HashSet<>(
            requireNonNull(referencedSecrets, "referencedSecrets: no step named the Secrets"));
    secrets.addAll(referencedAuthSecrets);
    return new Translation(
        config(),
        requireNonNull(routes, "routes: no step made the routing table"),
        sorted,
        requireNonNull(ownedIngresses, "ownedIngresses: no step decided the owned Ingresses"),
        requireNonNull(referencedServices, "referencedServices: no step named the Services"),
        secrets,
        referencedConfigMaps,
        requireNonNull(certificates, "certificates: no step chose the certificates"),
        requireNonNull(annotations, "annotations: no step read the annotations"),
        gatewayStatus);
  }
}
