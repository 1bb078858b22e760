package io.portico.controller.annotations;

import io.portico.router.balance.LoadBalancing;
import java.util.List;

/**
 * The controller-wide defaults of the honoured annotations: what applies when an Ingress does not
 * set one. ingress-nginx keeps them in its controller ConfigMap under the annotation's name; the
 * methods here return the built-in defaults, the ones ingress-nginx starts with, and a ConfigMap
 * overrides them.
 */
public interface AnnotationDefaults {

  /** ingress-nginx's own defaults. */
  AnnotationDefaults BUILT_IN = new AnnotationDefaults() {};

  /** ConfigMap {@code ssl-redirect}: TLS rules redirect plain HTTP to HTTPS. */
  default boolean sslRedirect() {
    return true;
  }

  /** ConfigMap {@code force-ssl-redirect}: every rule redirects plain HTTP to HTTPS. */
  default boolean forceSslRedirect() {
    return false;
  }

  /** ConfigMap {@code preserve-trailing-slash}: HTTPS redirects keep a trailing slash. */
  default boolean preserveTrailingSlash() {
    return false;
  }

  /** ConfigMap {@code load-balance}: how requests spread over a backend's endpoints. */
  default LoadBalancing loadBalance() {
    return LoadBalancing.ROUND_ROBIN;
  }

  /**
   * ConfigMap {@code custom-http-errors}: the statuses every route's error pages take when its
   * Ingress sets none; empty for none.
   */
  default List<Integer> customHttpErrors() {
    return List.of();
  }

  /** ConfigMap {@code http-redirect-code}: the status of Portico's redirects to another URL. */
  default int httpRedirectCode() {
    return 308;
  }
}
