package io.portico.router.policy.limit;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Limits the requests to the routes of one Ingress across every replica ({@code
 * global-rate-limit}): each request's key is counted in a {@link SlidingWindow} whose counts are
 * {@link SharedCounters} (memcached), and a request over the limit is answered with the limit's
 * status. A key known to be over is answered from this replica's {@link ThrottleDecisions} until
 * its wait ends, without asking the counters. When the counters fail (unreachable, slow, broken),
 * the request goes on: the limit fails open, as ingress-nginx's does, counted and logged by {@link
 * GlobalRateLimitStats}.
 *
 * @param limit the limit, the key and the answer
 * @param counters where the counts are kept; equal for equal memcached settings
 * @param decisions this replica's known decisions; {@link ThrottleDecisions#shared()} outside tests
 * @param stats where failures and answers are counted; {@link GlobalRateLimitStats#shared()}
 *     outside tests
 */
public record GlobalRateLimitPolicy(
    GlobalRateLimit limit,
    SharedCounters counters,
    ThrottleDecisions decisions,
    GlobalRateLimitStats stats)
    implements RequestPolicy {

  private static final String BODY = "Too many requests: try again later.\n";

  public GlobalRateLimitPolicy {
    requireNonNull(limit, "limit");
    requireNonNull(counters, "counters");
    requireNonNull(decisions, "decisions");
    requireNonNull(stats, "stats");
  }

  /** A limit counted in {@code counters}, with the process's shared decisions and counts. */
  public GlobalRateLimitPolicy(GlobalRateLimit limit, SharedCounters counters) {
    this(limit, counters, ThrottleDecisions.shared(), GlobalRateLimitStats.shared());
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.RATE_LIMIT;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    if (limit.ignored().contains(request.client().ip())) {
      exchange.proceed();
      return;
    }
    String zone = limit.zone();
    String sample = limit.key().value(request);
    if (decisions.over(zone, sample)) {
      stats.countLimited();
      exchange.answer(PolicyAnswer.text(limit.status(), BODY));
      return;
    }
    CompletionStage<SlidingWindow.Verdict> verdict;
    try {
      verdict =
          new SlidingWindow(counters, System::currentTimeMillis)
              .process(zone, sample, limit.limit(), limit.windowSeconds());
    } catch (RuntimeException e) {
      stats.countFailedOpen(zone, e);
      exchange.proceed();
      return;
    }
    verdict.whenComplete(
        (decided, failure) -> {
          if (failure != null) {
            stats.countFailedOpen(
                zone,
                failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure);
            exchange.proceed();
          } else if (decided.over()) {
            decisions.remember(zone, sample, decided.delayMillis());
            stats.countLimited();
            exchange.answer(PolicyAnswer.text(limit.status(), BODY));
          } else {
            exchange.proceed();
          }
        });
  }

  @Override
  public String label() {
    return "global-rate-limit " + limit.limit() + "/" + limit.windowSeconds() + "s";
  }
}
