package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;
import java.util.List;

/**
 * Answers every request with 503: what a route gets when the access check it should have cannot be
 * built (an invalid global allow list, a missing auth Secret), as ingress-nginx answers 503 then.
 * Never served open. The reason is for findings and dumps, never sent to the client.
 *
 * @param reason why the route is closed, naming what is wrong
 */
public record ClosedPolicy(String reason) implements RequestPolicy {

  private static final PolicyAnswer UNAVAILABLE =
      new PolicyAnswer(
          503,
          List.of(new PolicyAnswer.Header("content-type", "text/plain; charset=utf-8")),
          "503 Service Unavailable: this route's access settings are invalid\n");

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
