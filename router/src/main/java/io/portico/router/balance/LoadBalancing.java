package io.portico.router.balance;

import java.util.Locale;

/**
 * How new requests are spread over a backend's ready endpoints (the {@code load-balance}
 * annotation).
 */
public enum LoadBalancing {
  /** Each endpoint in turn: the default, as in ingress-nginx. */
  ROUND_ROBIN,
  /**
   * The power of two random choices: of two endpoints drawn at random, the one with fewer requests
   * in flight through this Portico. ingress-nginx's {@code ewma} maps here.
   */
  LEAST_REQUEST,
  /** An endpoint drawn uniformly at random. */
  RANDOM;

  /** The value as the annotation spells it, e.g. {@code least_request}. */
  public String annotationValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return annotationValue();
  }
}
