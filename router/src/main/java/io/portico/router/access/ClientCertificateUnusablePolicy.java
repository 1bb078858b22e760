package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;

/**
 * Answers every request of its route with 403: what a route that asks for client certificates gets
 * while its CA cannot be read (the {@code auth-tls-secret} is missing, has no {@code ca.crt}, or
 * holds no usable CA), as ingress-nginx answers 403 on such a server. Never served open. The reason
 * is for findings and dumps, never sent to the client.
 *
 * @param reason what is wrong, naming the Secret
 */
public record ClientCertificateUnusablePolicy(String reason) implements RequestPolicy {

  private static final PolicyAnswer FORBIDDEN =
      PolicyAnswer.text(403, "403 Forbidden: client certificates cannot be checked\n");

  public ClientCertificateUnusablePolicy {
    requireNonNull(reason, "reason");
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.ACCESS;
  }

  @Override
  public String label() {
    return "403: " + reason;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    exchange.answer(FORBIDDEN);
  }
}
