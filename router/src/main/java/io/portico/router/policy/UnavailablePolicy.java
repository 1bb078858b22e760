package io.portico.router.policy;

/**
 * Answers every request of its route with {@code 503 Service Unavailable}, before anything else
 * runs: the route of an Ingress that asked for something Portico cannot give it as asked (a
 * ConfigMap of response headers that is missing or holds a header it may not set). ingress-nginx's
 * denied location answers the same, so the route fails closed rather than serving without what it
 * asked for. The route's response headers still apply to the answer.
 */
public record UnavailablePolicy() implements RequestPolicy {

  /** The one instance routes share. */
  public static final UnavailablePolicy INSTANCE = new UnavailablePolicy();

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.ACCESS;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    exchange.answer(PolicyAnswer.of(503));
  }
}
