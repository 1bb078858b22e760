package io.portico.router.balance;

/**
 * How new requests are spread over a backend's ready endpoints (the {@code load-balance}
 * annotation).
 */
public enum LoadBalancing {
  /** Each endpoint in turn: the default, as in ingress-nginx. */
  ROUND_ROBIN("round_robin"),
  /**
   * The power of two random choices: of two endpoints drawn at random, the one with fewer requests
   * in flight through this Portico. ingress-nginx's {@code ewma} maps here.
   */
  LEAST_REQUEST("least_request"),
  /** An endpoint drawn uniformly at random. */
  RANDOM("random");

  private final String annotationValue;

  LoadBalancing(String annotationValue) {
    this.annotationValue = annotationValue;
  }

  /** The value as the annotation spells it, e.g. {@code least_request}. */
  public String annotationValue() {
    return annotationValue;
  }

  @Override
  public String toString() {
    return annotationValue;
  }
}
