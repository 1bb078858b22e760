package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import io.portico.controller.config.ControllerConfig;
import java.util.Set;

/**
 * What a family may know of an Ingress besides its annotations, and the controller config whose
 * keys apply where the Ingress sets no annotation (annotation, then ConfigMap, then built-in
 * default).
 *
 * @param namespace the Ingress's namespace, for messages and for names relative to it
 * @param name the Ingress's name
 * @param tlsHosts the host names of its own {@code spec.tls[].hosts}, lower case, without a
 *     trailing dot ({@code *.example.com} for a wildcard entry)
 * @param config the controller config in force: the ConfigMap's values, else the built-in defaults
 * @param configMaps the ConfigMaps annotations and config keys may refer to
 * @param secrets the Secrets annotations may refer to ({@code auth-secret})
 */
public record IngressContext(
    String namespace,
    String name,
    Set<String> tlsHosts,
    ControllerConfig config,
    ConfigMapLookup configMaps,
    SecretLookup secrets) {

  public IngressContext {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    tlsHosts = Set.copyOf(tlsHosts);
    requireNonNull(config, "config");
    requireNonNull(configMaps, "configMaps");
    requireNonNull(secrets, "secrets");
  }

  /** A context where no Secret exists. */
  public IngressContext(
      String namespace,
      String name,
      Set<String> tlsHosts,
      ControllerConfig config,
      ConfigMapLookup configMaps) {
    this(namespace, name, tlsHosts, config, configMaps, SecretLookup.NONE);
  }

  /** A context where no ConfigMap and no Secret exists. */
  public IngressContext(
      String namespace, String name, Set<String> tlsHosts, ControllerConfig config) {
    this(namespace, name, tlsHosts, config, ConfigMapLookup.NONE, SecretLookup.NONE);
  }
}
