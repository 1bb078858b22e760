package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ObjectKey;
import java.util.Optional;

/**
 * A route's {@code parentRefs} entry with the CRD's defaults (group {@code
 * gateway.networking.k8s.io}, kind {@code Gateway}). Route status echoes it, with the namespace
 * written out.
 *
 * @param group the parent's group
 * @param kind the parent's kind
 * @param namespace the parent's namespace when written; absent means the route's
 * @param name the parent's name
 * @param sectionName the listener it names, if any
 * @param port the listener port it names, if any (the Gateway's port, never a local one)
 */
public record ParentRef(
    String group,
    String kind,
    Optional<String> namespace,
    String name,
    Optional<String> sectionName,
    Optional<Integer> port) {

  public ParentRef {
    requireNonNull(group, "group");
    requireNonNull(kind, "kind");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    requireNonNull(sectionName, "sectionName");
    requireNonNull(port, "port");
  }

  /** Whether it names a Gateway, the only parent kind Portico serves. */
  public boolean isGateway() {
    return GatewayApi.GROUP.equals(group) && GatewayApi.GATEWAY.equals(kind);
  }

  /** The parent's key, its namespace defaulting to the route's. */
  public ObjectKey key(String routeNamespace) {
    return new ObjectKey(namespace.orElse(routeNamespace), name);
  }

  /** The same reference with its namespace written out, as route status carries it. */
  public ParentRef withNamespace(String routeNamespace) {
    return new ParentRef(
        group, kind, Optional.of(namespace.orElse(routeNamespace)), name, sectionName, port);
  }

  /** {@code Gateway infra/same-namespace section http port 80}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    out.append(GatewayApi.GROUP.equals(group) ? kind : kind + "." + group).append(' ');
    namespace.ifPresent(ns -> out.append(ns).append('/'));
    out.append(name);
    sectionName.ifPresent(section -> out.append(" section ").append(section));
    port.ifPresent(p -> out.append(" port ").append(p));
    return out.toString();
  }
}
