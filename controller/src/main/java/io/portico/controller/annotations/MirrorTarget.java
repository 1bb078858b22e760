package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.MirrorPolicy;

/**
 * Where {@code mirror-target} sends copies of an Ingress's requests, as the {@link MirrorFamily}
 * read it: a Service port of the Ingress's own namespace, for the translator to resolve as it
 * resolves any backend. Never a name for a resolver.
 *
 * @param service the Service's name, in the Ingress's namespace
 * @param port its port, as a number
 * @param copy the path, host and body of each copy
 * @param target the annotation's value as written, for messages
 */
public record MirrorTarget(String service, String port, MirrorPolicy copy, String target) {

  public MirrorTarget {
    requireNonNull(service, "service");
    requireNonNull(port, "port");
    requireNonNull(copy, "copy");
    requireNonNull(target, "target");
  }
}
