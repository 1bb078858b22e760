package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * What a family may know of an Ingress besides its annotations, and the defaults that apply.
 *
 * @param namespace the Ingress's namespace, for messages and for names relative to it
 * @param name the Ingress's name
 * @param tlsHosts the host names of its own {@code spec.tls[].hosts}, lower case, without a
 *     trailing dot ({@code *.example.com} for a wildcard entry)
 * @param defaults the controller-wide defaults of the annotations
 */
public record IngressContext(
    String namespace, String name, Set<String> tlsHosts, AnnotationDefaults defaults) {

  public IngressContext {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    tlsHosts = Set.copyOf(tlsHosts);
    requireNonNull(defaults, "defaults");
  }
}
