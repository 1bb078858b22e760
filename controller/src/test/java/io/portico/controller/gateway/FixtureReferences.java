package io.portico.controller.gateway;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.tls.TlsKeyPair;
import io.portico.tls.TlsMaterialException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link GatewayReferences} answered from the objects of a fixture. */
final class FixtureReferences implements GatewayReferences {

  private final Map<ObjectKey, Secret> secrets = new HashMap<>();
  private final Map<ObjectKey, Service> services = new HashMap<>();
  private final Map<String, Map<String, String>> namespaces = new HashMap<>();

  FixtureReferences(List<HasMetadata> objects) {
    for (HasMetadata object : objects) {
      if (object instanceof Secret secret) {
        secrets.put(ObjectKey.of(secret), secret);
      } else if (object instanceof Service service) {
        services.put(ObjectKey.of(service), service);
      } else if (object instanceof Namespace namespace) {
        Map<String, String> labels = namespace.getMetadata().getLabels();
        namespaces.put(
            namespace.getMetadata().getName(), labels == null ? Map.of() : Map.copyOf(labels));
      }
    }
  }

  @Override
  public Optional<String> certificateProblem(ObjectKey key) {
    Secret secret = secrets.get(key);
    if (secret == null || !"kubernetes.io/tls".equals(secret.getType())) {
      return Optional.of("not found as a kubernetes.io/tls Secret");
    }
    try {
      TlsKeyPair.fromPem(value(secret, "tls.crt"), value(secret, "tls.key"));
      return Optional.empty();
    } catch (TlsMaterialException | IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static String value(Secret secret, String key) {
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return secret.getStringData().get(key);
    }
    String data = secret.getData() == null ? null : secret.getData().get(key);
    if (data == null) {
      throw new IllegalArgumentException("has no " + key);
    }
    return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
  }

  @Override
  public boolean serviceExists(ObjectKey service) {
    return services.containsKey(service);
  }

  @Override
  public Map<String, String> namespaceLabels(String namespace) {
    Map<String, String> labels = new HashMap<>(namespaces.getOrDefault(namespace, Map.of()));
    labels.put(GatewayApi.NAMESPACE_NAME_LABEL, namespace);
    return labels;
  }
}
