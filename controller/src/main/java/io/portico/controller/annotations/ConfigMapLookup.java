package io.portico.controller.annotations;

import java.util.Map;
import java.util.Optional;

/**
 * The data of ConfigMaps an Ingress's annotations or the controller ConfigMap refer to, by
 * namespace and name. The translator answers from the snapshot and remembers what was asked, so
 * that a change to one of those ConfigMaps reads its Ingresses again.
 */
public interface ConfigMapLookup {

  /** No ConfigMap exists. */
  ConfigMapLookup NONE = (namespace, name) -> Optional.empty();

  /** The data of ConfigMap {@code namespace/name}; empty when it does not exist. */
  Optional<Map<String, String>> data(String namespace, String name);
}
