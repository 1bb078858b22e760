package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Namespace;
import io.portico.controller.gateway.GatewayApi;
import io.portico.controller.gateway.GatewayReferences;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.Kinds;
import io.portico.controller.snapshot.ObjectKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Gateway API objects refer to, answered from a snapshot: listener certificates (each Secret
 * version parsed once, as for Ingress), Services, and Namespace labels (with {@code
 * kubernetes.io/metadata.name}, which the API server always sets and a manifest may leave out).
 * Remembers every Secret and Service it was asked about, found or not: a change to any other one
 * cannot change the Gateway API translation.
 */
final class SnapshotGatewayReferences implements GatewayReferences {

  private final ClusterSnapshot snapshot;
  private final TlsSecrets secrets;
  private final Set<ObjectKey> askedSecrets = new HashSet<>();
  private final Set<ObjectKey> askedServices = new HashSet<>();

  SnapshotGatewayReferences(ClusterSnapshot snapshot, TlsInputs tls) {
    this.snapshot = snapshot;
    this.secrets = new TlsSecrets(snapshot, tls.keyPairs());
  }

  @Override
  public Optional<String> certificateProblem(ObjectKey secret) {
    askedSecrets.add(secret);
    TlsSecrets.Loaded loaded = secrets.load(secret);
    return loaded.ok()
        ? Optional.empty()
        : Optional.of(requireNonNull(loaded.problem(), "problem: an unusable Secret says why"));
  }

  /** The key pair of a Secret {@link #certificateProblem} found usable. */
  io.portico.tls.TlsKeyPair pair(ObjectKey secret) {
    return requireNonNull(secrets.load(secret).pair(), "pair: the Secret was found usable");
  }

  @Override
  public boolean serviceExists(ObjectKey service) {
    askedServices.add(service);
    return snapshot.service(service) != null;
  }

  @Override
  public Map<String, String> namespaceLabels(String namespace) {
    Namespace object = snapshot.get(Kinds.NAMESPACE, ObjectKey.clusterScoped(namespace));
    Map<String, String> labels = new HashMap<>();
    if (object != null && object.getMetadata().getLabels() != null) {
      labels.putAll(object.getMetadata().getLabels());
    }
    labels.put(GatewayApi.NAMESPACE_NAME_LABEL, namespace);
    return labels;
  }

  Set<ObjectKey> askedSecrets() {
    return askedSecrets;
  }

  Set<ObjectKey> askedServices() {
    return askedServices;
  }
}
