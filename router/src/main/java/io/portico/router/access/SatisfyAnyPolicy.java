package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;

/**
 * {@code satisfy: any}, as nginx's {@code satisfy any} with ingress-nginx's allow and deny lists: a
 * client the source ranges admit goes on without authenticating; any other client must pass the
 * authentication, which then answers as it would alone (401, the sign-in redirect, 403, 500). As in
 * nginx, where the lists are {@code allow} and {@code deny} rules of one module, a client of the
 * deny list who authenticates gets in too.
 *
 * @param ranges the allow and deny lists
 * @param authentication basic or external auth
 */
public record SatisfyAnyPolicy(SourceRangePolicy ranges, RequestPolicy authentication)
    implements RequestPolicy {

  public SatisfyAnyPolicy {
    requireNonNull(ranges, "ranges");
    requireNonNull(authentication, "authentication");
    if (authentication.phase() != PolicyPhase.AUTHENTICATION) {
      throw new IllegalArgumentException(
          "authentication: " + authentication + " (expected: an AUTHENTICATION policy)");
    }
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.ACCESS;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    if (ranges.admits(request.client().ip())) {
      exchange.proceed();
    } else {
      authentication.apply(request, exchange);
    }
  }
}
