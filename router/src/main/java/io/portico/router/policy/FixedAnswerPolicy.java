package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Answers every request with a fixed status and a short text, after every other policy of the
 * route: what a Gateway API rule without a usable backend does (500, as the specification requires
 * for a missing or refused backend and for a rule that forwards nowhere).
 *
 * @param status the status
 * @param body one sentence, without internal names or addresses
 */
public record FixedAnswerPolicy(int status, String body) implements RequestPolicy {

  public FixedAnswerPolicy {
    requireNonNull(body, "body");
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 200 to 599)");
    }
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.BACKEND_CHOICE;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    exchange.answer(
        new PolicyAnswer(
            status,
            List.of(
                new PolicyAnswer.Header("content-type", "text/plain; charset=utf-8"),
                new PolicyAnswer.Header("cache-control", "no-store")),
            body + "\n"));
  }

  @Override
  public String toString() {
    return "answer " + status;
  }
}
