package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import io.portico.controller.config.ConfigKeys;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An object an annotation names, as ingress-nginx reads such references: {@code name} in the
 * Ingress's namespace, or {@code namespace/name}; another namespace only with the controller
 * ConfigMap's {@code allow-cross-namespace-resources}.
 */
record ObjectReference(String namespace, String name) {

  /** A name (a DNS subdomain), optionally after a namespace (a DNS label) and a slash. */
  static final Pattern NAME_OR_NAMESPACED =
      Pattern.compile(
          "(?:[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?"
              + "(?:\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  ObjectReference {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
  }

  /** Splits a reference of a shape already checked; without a slash, the Ingress's namespace. */
  static ObjectReference parse(String reference, IngressContext context) {
    int slash = reference.indexOf('/');
    return slash < 0
        ? new ObjectReference(context.namespace(), reference)
        : new ObjectReference(reference.substring(0, slash), reference.substring(slash + 1));
  }

  /**
   * Reads {@code reference} of {@code annotation}, refusing the Ingress (with the reason) when it
   * is not a name or {@code namespace/name} of that shape, or names another namespace the ConfigMap
   * does not allow.
   *
   * @param expected what the annotation must hold, e.g. {@code the name or namespace/name of a
   *     Secret}
   * @param kind the object's kind, for the message, e.g. {@code Secret}
   */
  static Optional<ObjectReference> read(
      String annotation,
      String reference,
      String expected,
      String kind,
      IngressContext context,
      AnnotationReport report) {
    if (!NAME_OR_NAMESPACED.matcher(reference).matches()) {
      report.refuse(annotation, "\"" + reference + "\" (expected: " + expected + ")");
      return Optional.empty();
    }
    ObjectReference object = parse(reference, context);
    if (!object.allowedFor(context)) {
      report.refuse(
          annotation, "\"" + reference + "\" (expected: " + sameNamespace(kind, context) + ")");
      return Optional.empty();
    }
    return Optional.of(object);
  }

  /** Whether the Ingress may use it: its own namespace, or any the ConfigMap allows. */
  boolean allowedFor(IngressContext context) {
    return namespace.equals(context.namespace())
        || context.config().get(ConfigKeys.ALLOW_CROSS_NAMESPACE_RESOURCES);
  }

  /** What a reference to another namespace is told it should be. */
  static String sameNamespace(String kind, IngressContext context) {
    return "a "
        + kind
        + " in the Ingress's namespace "
        + context.namespace()
        + "; the controller ConfigMap's "
        + ConfigKeys.ALLOW_CROSS_NAMESPACE_RESOURCES.name()
        + " allows others";
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
