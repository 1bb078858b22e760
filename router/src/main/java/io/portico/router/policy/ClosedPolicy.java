package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

/**
 * Answers every request of its route with 503, before anything else runs: what a route gets when
 * something it asked for cannot be given as asked (an access check that cannot be built, such as an
 * invalid global allow list or a missing auth Secret; a ConfigMap of response headers that is
 * missing or holds a header it may not set), as ingress-nginx answers 503 then. Never served open.
 * The route's response headers still apply to the answer. The reason is for findings and dumps,
 * never sent to the client.
 *
 * @param reason why the route is closed, naming what is wrong
 */
public record ClosedPolicy(String reason) implements RequestPolicy {

  private static final PolicyAnswer UNAVAILABLE =
      PolicyAnswer.text(503, "503 Service Unavailable: this route's settings are invalid\n");

  public ClosedPolicy {
    requireNonNull(reason, "reason");
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.ACCESS;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    exchange.answer(UNAVAILABLE);
  }
}
