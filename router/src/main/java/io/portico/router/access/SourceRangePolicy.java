package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import io.portico.router.address.CidrSet;
import io.portico.router.address.IpAddress;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Allows or denies a request by its client's address, as ingress-nginx's {@code
 * allowlist-source-range} (alias {@code whitelist-source-range}) and {@code denylist-source-range}
 * do: an address in {@code deny} gets 403 (deny wins, as nginx renders its {@code deny} rules
 * first); when {@code allow} is not empty, an address outside it gets 403 too.
 *
 * <p>The address is the one Portico decided for the request (the peer, or what a trusted proxy
 * forwarded), never a header an untrusted client wrote. A request whose connection has no IP
 * address passes a deny list and fails an allow list. It runs in the {@link PolicyPhase#ACCESS}
 * phase, before any redirect, on HTTP and HTTPS alike. Both sets are precomputed ({@link CidrSet}):
 * a request costs a binary search, however long the lists.
 *
 * @param allow the addresses that may reach the backend; empty allows every address not denied
 * @param deny the addresses that may not
 */
public record SourceRangePolicy(CidrSet allow, CidrSet deny) implements RequestPolicy {

  /** The answer to a refused address: 403, a short text body. */
  static final PolicyAnswer FORBIDDEN =
      PolicyAnswer.text(403, "403 Forbidden: your address may not reach this backend\n");

  public SourceRangePolicy {
    requireNonNull(allow, "allow");
    requireNonNull(deny, "deny");
    if (allow.isEmpty() && deny.isEmpty()) {
      throw new IllegalArgumentException(
          "allow and deny are both empty (expected: at least one range)");
    }
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.ACCESS;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    if (admits(request.client().ip())) {
      exchange.proceed();
    } else {
      exchange.answer(FORBIDDEN);
    }
  }

  /** Whether {@code client} (or a connection without an address, {@code null}) may go on. */
  public boolean admits(@Nullable IpAddress client) {
    if (client == null) {
      return allow.isEmpty();
    }
    if (deny.contains(client)) {
      return false;
    }
    return allow.isEmpty() || allow.contains(client);
  }
}
