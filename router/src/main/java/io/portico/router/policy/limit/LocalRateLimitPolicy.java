package io.portico.router.policy.limit;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;

/**
 * Limits the requests of each client address to the routes of one Ingress ({@code limit-rps},
 * {@code limit-rpm}), counted by this replica alone, keyed by the client address the request
 * reports ({@link PolicyRequest#clientAddress()}: the TCP peer unless the listener trusts a front
 * proxy). A request over the limit is answered with the limit's status and goes no further.
 *
 * @param limit the rates and the answer
 * @param buckets where the counts live; {@link ClientBuckets#shared()} outside tests, so that an
 *     unchanged Ingress translated again gives an equal policy that keeps counting
 */
public record LocalRateLimitPolicy(RateLimit limit, ClientBuckets buckets)
    implements RequestPolicy {

  private static final String BODY = "Too many requests from this address: try again later.\n";

  public LocalRateLimitPolicy {
    requireNonNull(limit, "limit");
    requireNonNull(buckets, "buckets");
  }

  /** A limit counted in the process's shared buckets. */
  public LocalRateLimitPolicy(RateLimit limit) {
    this(limit, ClientBuckets.shared());
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.RATE_LIMIT;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    String address = request.clientAddress();
    // The address as parsed once on arrival: the allowlist check parses and allocates nothing.
    if (address == null || limit.allowlist().contains(request.client().ip())) {
      exchange.proceed();
      return;
    }
    int multiplier = limit.burstMultiplier();
    boolean admitted =
        (limit.perSecond() == 0
                || buckets.admit(
                    limit.zone(),
                    false,
                    address,
                    limit.perSecond(),
                    (long) limit.perSecond() * multiplier))
            && (limit.perMinute() == 0
                || buckets.admit(
                    limit.zone(),
                    true,
                    address,
                    limit.perMinute(),
                    (long) limit.perMinute() * multiplier));
    if (admitted) {
      exchange.proceed();
      return;
    }
    exchange.answer(PolicyAnswer.text(limit.status(), BODY));
  }
}
