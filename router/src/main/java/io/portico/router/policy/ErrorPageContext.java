package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Where a request was going when a default backend answers it instead, told to that backend in the
 * headers ingress-nginx sends it: {@code X-Namespace}, {@code X-Ingress-Name}, {@code
 * X-Service-Name} and {@code X-Service-Port}, so that one error service can answer for many
 * Ingresses.
 *
 * @param namespace the Ingress's namespace
 * @param ingressName the Ingress's name
 * @param serviceName the Service its rule names
 * @param servicePort the port its rule names, as written (a number or a name)
 */
public record ErrorPageContext(
    String namespace, String ingressName, String serviceName, String servicePort) {

  public ErrorPageContext {
    requireNonNull(namespace, "namespace");
    requireNonNull(ingressName, "ingressName");
    requireNonNull(serviceName, "serviceName");
    requireNonNull(servicePort, "servicePort");
  }

  /**
   * Sets {@code X-Code}, {@code X-Format} (the client's {@code Accept}, when it sent one) and the
   * four headers of this context on the request to the default backend.
   */
  public void setHeaders(HeaderTarget upstream, int code, @Nullable String accept) {
    upstream.set("X-Code", Integer.toString(code));
    if (accept == null || accept.isEmpty()) {
      upstream.remove("X-Format");
    } else {
      upstream.set("X-Format", accept);
    }
    upstream.set("X-Namespace", namespace);
    upstream.set("X-Ingress-Name", ingressName);
    upstream.set("X-Service-Name", serviceName);
    upstream.set("X-Service-Port", servicePort);
  }
}
