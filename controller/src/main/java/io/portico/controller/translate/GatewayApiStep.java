package io.portico.controller.translate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.portico.controller.gateway.BackendTlsPolicies;
import io.portico.controller.gateway.GatewayApi;
import io.portico.controller.gateway.GatewayApiInputs;
import io.portico.controller.gateway.GatewayApiStatus;
import io.portico.controller.gateway.GatewayApiTranslation;
import io.portico.controller.gateway.GatewayFinding;
import io.portico.controller.gateway.GatewaySettings;
import io.portico.controller.gateway.RouteReads;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.Kinds;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.snapshot.SnapshotKind;
import io.portico.router.route.ListenerRoutes;
import io.portico.router.route.RouteTable;
import io.portico.tls.CertificateSet;
import io.portico.tls.TlsKeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code gateway-api}: GatewayClasses, Gateways, HTTPRoutes, GRPCRoutes, ReferenceGrants and
 * BackendTLSPolicies (with Namespaces for selectors, Secrets for certificates, Services for
 * backends and ConfigMaps for backend CAs) become the status of each ({@link
 * GatewayApiTranslation}), the Gateway API rules of Portico's listeners in the same routing table
 * as the Ingress rules, and the certificates of Gateway listeners. Runs after the Ingress steps: it
 * adds to their table and certificates, and tells each Ingress that gives up a host name to a route
 * ({@link IngressHandOver}).
 *
 * <p>The Gateway API part is made again only when one of its objects changed, or a Secret or
 * Service it referred to (with the Service's endpoints); otherwise the last one is kept. With
 * {@code --gateway-api=false} the step does nothing.
 */
final class GatewayApiStep implements TranslationStep {

  /** What the step keeps between translations. */
  static final class Kept {
    private @Nullable Result result;
    // The routes' reads, reused for each route object the next snapshot still holds.
    private final RouteReads reads = new RouteReads();
  }

  /** The Gateway API part of one translation. */
  private record Result(
      GatewayApiStatus status,
      List<ListenerRoutes> listeners,
      Map<String, GatewayListeners.Certificate> httpsNames,
      Optional<GatewayListeners.Certificate> httpsDefault,
      List<Finding> findings,
      Set<ObjectKey> services,
      Set<ObjectKey> secrets,
      Set<ObjectKey> configMaps) {}

  private static final List<SnapshotKind<?>> OWN_KINDS =
      List.of(
          Kinds.GATEWAY_CLASS,
          Kinds.GATEWAY,
          Kinds.HTTP_ROUTE,
          Kinds.GRPC_ROUTE,
          Kinds.REFERENCE_GRANT,
          Kinds.REFERENCE_GRANT_V1BETA1,
          Kinds.BACKEND_TLS_POLICY,
          Kinds.NAMESPACE,
          Kinds.CUSTOM_RESOURCE_DEFINITION);

  @Override
  public String name() {
    return "gateway-api";
  }

  @Override
  public void apply(TranslationRun run) {
    GatewaySettings settings = run.settings().gateway();
    Kept kept = run.state().gateway;
    if (!settings.enabled()) {
      kept.result = null;
      return;
    }
    Result result = kept.result;
    if (result == null || run.fromScratch() || changed(run, result)) {
      result = translate(run, settings, kept.reads);
      kept.result = result;
    }
    RouteTable table = run.routes().withListenerRoutes(result.listeners());
    run.state().table = table;
    run.routes(table);
    result.findings().forEach(run::report);
    IngressHandOver.findings(table).forEach(run::report);
    Set<ObjectKey> services = new HashSet<>(run.referencedServices());
    services.addAll(result.services());
    run.referencedServices(services);
    run.referencedConfigMaps(result.configMaps());
    run.certificates(withGatewayCertificates(run.certificates(), result), withSecrets(run, result));
    run.gatewayStatus(result.status());
  }

  private static Set<ObjectKey> withSecrets(TranslationRun run, Result result) {
    Set<ObjectKey> secrets = new HashSet<>(run.referencedSecrets());
    secrets.addAll(result.secrets());
    return secrets;
  }

  /** Whether anything the last result was made from changed. */
  private static boolean changed(TranslationRun run, Result last) {
    ClusterSnapshot previous = run.previous();
    if (previous == null) {
      return true;
    }
    ClusterSnapshot snapshot = run.snapshot();
    for (SnapshotKind<?> kind : OWN_KINDS) {
      if (!snapshot.changedSince(kind, previous).isEmpty()) {
        return true;
      }
    }
    if (touches(snapshot.changedSince(Kinds.SECRET, previous), last.secrets())) {
      return true;
    }
    if (touches(snapshot.changedSince(Kinds.CONFIG_MAP, previous), last.configMaps())) {
      return true;
    }
    for (SnapshotKind<?> kind : List.of(Kinds.SERVICE, Kinds.ENDPOINT_SLICE, Kinds.ENDPOINTS)) {
      if (touches(snapshot.changedSince(kind, previous), last.services())) {
        return true;
      }
    }
    return false;
  }

  private static boolean touches(Set<ObjectKey> changed, Set<ObjectKey> referenced) {
    for (ObjectKey key : changed) {
      if (referenced.contains(key)) {
        return true;
      }
    }
    return false;
  }

  private static Result translate(
      TranslationRun run, GatewaySettings configured, RouteReads reads) {
    ClusterSnapshot snapshot = run.snapshot();
    GatewaySettings settings = configured.withCrdBundleVersions(bundleVersions(snapshot));
    SnapshotGatewayReferences references = new SnapshotGatewayReferences(snapshot, run.tls());
    List<HasMetadata> grants = new ArrayList<>(snapshot.all(Kinds.REFERENCE_GRANT));
    grants.addAll(snapshot.all(Kinds.REFERENCE_GRANT_V1BETA1));
    GatewayApiTranslation translation =
        GatewayApiTranslation.translate(
            new GatewayApiInputs(
                snapshot.all(Kinds.GATEWAY_CLASS),
                snapshot.all(Kinds.GATEWAY),
                snapshot.all(Kinds.HTTP_ROUTE),
                snapshot.all(Kinds.GRPC_ROUTE),
                grants,
                references),
            settings,
            reads);
    List<Finding> findings = new ArrayList<>();
    for (GatewayFinding finding : translation.findings()) {
      findings.add(
          Finding.warning(
              new ObjectRef(finding.kind(), finding.key()), finding.reason(), finding.message()));
    }
    TlsKeyPair defaultPair = run.certificates().set().defaultPair();
    GatewayListeners.Result listeners =
        new GatewayListeners(run.resolver(), references, defaultPair, findings::add)
            .convert(translation.routes());
    List<BackendTLSPolicy> tlsPolicies = snapshot.all(Kinds.BACKEND_TLS_POLICY);
    BackendTlsPolicies.Result policies =
        BackendTlsPolicies.evaluate(
            tlsPolicies,
            // Without a policy nothing depends on the Service ports used; with thousands of
            // routes, finding them costs a tenth of the translation.
            tlsPolicies.isEmpty()
                ? Map.of()
                : GatewayBackendTls.uses(translation.routes(), translation.status(), snapshot),
            key -> {
              ConfigMap configMap = snapshot.get(Kinds.CONFIG_MAP, key);
              return configMap == null
                  ? Optional.empty()
                  : Optional.of(configMap.getData() == null ? Map.of() : configMap.getData());
            });
    return new Result(
        translation.status().withPolicies(policies.statuses()),
        GatewayBackendTls.apply(listeners.listeners(), policies.validations()),
        listeners.httpsNames(),
        listeners.httpsDefault(),
        List.copyOf(findings),
        Set.copyOf(references.askedServices()),
        Set.copyOf(references.askedSecrets()),
        Set.copyOf(policies.configMaps()));
  }

  /** The bundle version of each Gateway API CRD the snapshot holds ({@code ""}: not annotated). */
  private static Map<String, String> bundleVersions(ClusterSnapshot snapshot) {
    Map<String, String> versions = new TreeMap<>();
    for (CustomResourceDefinition crd : snapshot.all(Kinds.CUSTOM_RESOURCE_DEFINITION)) {
      String name = crd.getMetadata().getName();
      if (name == null || !name.endsWith("." + GatewayApi.GROUP)) {
        continue;
      }
      Map<String, String> annotations = crd.getMetadata().getAnnotations();
      String version =
          annotations == null ? null : annotations.get(GatewayApi.BUNDLE_VERSION_ANNOTATION);
      versions.put(name, version == null ? "" : version);
    }
    return versions;
  }

  /**
   * The Ingress certificates with those of the Gateway listeners on Portico's HTTPS listener: a
   * listener's hostname takes its certificate before any Ingress's, and the certificate of a
   * listener without a hostname serves every name no other covers, ahead of {@code
   * --default-tls-secret}.
   */
  private static ServedCertificates withGatewayCertificates(
      ServedCertificates ingress, Result result) {
    if (result.httpsNames().isEmpty() && result.httpsDefault().isEmpty()) {
      return ingress;
    }
    TlsKeyPair defaultPair =
        result
            .httpsDefault()
            .map(GatewayListeners.Certificate::pair)
            .orElse(ingress.set().defaultPair());
    CertificateSet.Builder set = CertificateSet.builder(defaultPair);
    Map<String, ServedCertificates.Source> sources = new HashMap<>();
    result
        .httpsNames()
        .forEach(
            (name, certificate) -> {
              set.add(name, certificate.pair());
              sources.put(name, new ServedCertificates.Source(certificate.secret(), false));
            });
    Map<String, TlsKeyPair> entries = ingress.set().entries();
    Set<TlsKeyPair> fromSans = new java.util.LinkedHashSet<>();
    ingress
        .sources()
        .forEach(
            (name, source) -> {
              TlsKeyPair pair = entries.get(name);
              if (pair == null) {
                return;
              }
              if (source.fromSubjectAltName()) {
                fromSans.add(pair);
              } else if (set.add(name, pair)) {
                sources.put(name, source);
              }
            });
    fromSans.forEach(set::addFromSans);
    CertificateSet built = set.build();
    // Names from subjectAltNames keep their Secrets where they still serve the same pair.
    ingress
        .sources()
        .forEach(
            (name, source) -> {
              if (source.fromSubjectAltName()
                  && !sources.containsKey(name)
                  && built.entries().get(name) == entries.get(name)) {
                sources.put(name, source);
              }
            });
    Optional<ObjectKey> defaultSecret =
        result.httpsDefault().map(GatewayListeners.Certificate::secret).or(ingress::defaultSecret);
    return new ServedCertificates(built, sources, defaultSecret);
  }
}
