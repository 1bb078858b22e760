package io.portico.router.policy;

/**
 * A policy that edits the head of every response to its route's requests, whoever wrote it: the
 * backend, Portico's own error answers, or another policy's answer, including one from an earlier
 * phase that ended the chain before this policy's turn (nginx's header filters behave the same).
 * Its place in the request chain does nothing unless {@link #apply} is overridden.
 */
public interface ResponseHeadPolicy extends RequestPolicy {

  /**
   * Edits a response head just before it is written. Runs on the request's event loop, once per
   * response head.
   */
  void editResponseHead(PolicyRequest request, ResponseHead head);

  /** Lets the request go on: the work of such a policy is in {@link #editResponseHead}. */
  @Override
  default void apply(PolicyRequest request, PolicyExchange exchange) {
    exchange.proceed();
  }
}
