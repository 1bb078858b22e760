package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import io.portico.router.balance.SmoothWeights;
import java.util.List;
import java.util.Optional;

/**
 * Chooses which backend of a route serves a request: the route's own (backend 0) or one of its
 * canaries (backends 1 and up, in the route's order). Precedence as ingress-nginx's balancer
 * implements it, extended to several canaries:
 *
 * <ol>
 *   <li>a session: a request whose session cookie pins it to the main backend stays there, one
 *       pinned to a canary with endpoints goes there ({@link PolicyRequest#pinnedBackend()});
 *   <li>headers: the canaries in order; the first whose header takes the request wins. A header
 *       that says {@code never} (or fails its pattern) excludes its canary from what follows; a
 *       value that matches neither the value nor the pattern falls through;
 *   <li>cookies: the same, with {@code always} and {@code never}, among the canaries not excluded;
 *   <li>weights: a {@link SmoothWeights} over {@code weightTotal}, the main backend owning what the
 *       canaries leave. A draw that lands on an excluded canary goes to the main backend. Requests
 *       decided above do not draw, so the counts are exact among the requests the weights decide.
 * </ol>
 *
 * A canary without endpoints is skipped by every step, as ingress-nginx skips an alternative
 * backend without a balancer. When every canary is excluded or none has weight, the request goes to
 * the main backend without a draw.
 *
 * @param canaries the route's canaries, in order
 * @param weights the main backend's weight then each canary's, over the weight total; empty when no
 *     canary has weight
 */
public record CanaryPolicy(List<Option> canaries, Optional<SmoothWeights> weights)
    implements RequestPolicy {

  /** The most canaries one route may have. */
  public static final int MAX_CANARIES = 63;

  /**
   * One canary as the policy sees it.
   *
   * @param match what sends a request to it
   * @param available whether it has endpoints; one without is never chosen
   */
  public record Option(CanaryMatch match, boolean available) {
    public Option {
      requireNonNull(match, "match");
    }
  }

  /** Why a request goes where it goes. */
  public enum Reason {
    /** Its session cookie pins it. */
    SESSION,
    /** A canary's header takes it. */
    HEADER,
    /** A canary's cookie takes it. */
    COOKIE,
    /** The weights decide. */
    WEIGHT,
    /** No canary can take it: each is excluded, without endpoints or without weight. */
    NO_CANARY
  }

  /**
   * Where a request goes before any weight is drawn.
   *
   * @param backend 0 for the main backend, {@code i} for canary {@code i}; -1 when the weights
   *     decide
   * @param reason why
   * @param excluded the canaries (bit {@code i-1} for canary {@code i}) excluded by a {@code never}
   *     header or cookie, by an unusable pattern, or for want of endpoints
   */
  public record Decision(int backend, Reason reason, long excluded) {

    /** Whether canary {@code canary} (1 and up) is excluded. */
    public boolean isExcluded(int canary) {
      return (excluded & (1L << (canary - 1))) != 0;
    }
  }

  public CanaryPolicy {
    canaries = List.copyOf(canaries);
    requireNonNull(weights, "weights");
    if (canaries.isEmpty() || canaries.size() > MAX_CANARIES) {
      throw new IllegalArgumentException(
          "canaries: " + canaries.size() + " (expected: 1 to " + MAX_CANARIES + ")");
    }
    if (weights.isPresent() && weights.get().size() != canaries.size() + 1) {
      throw new IllegalArgumentException(
          "weights: " + weights.get() + " (expected: the main backend's, then one per canary)");
    }
  }

  /**
   * The policy for these canaries, their weights counted over {@code weightTotal}.
   *
   * @throws IllegalArgumentException when the canaries' weights add up to more than the total
   */
  public static CanaryPolicy of(List<Option> canaries, int weightTotal) {
    long sum = 0;
    for (Option canary : canaries) {
      sum += canary.match().weight();
    }
    if (weightTotal < 1 || sum > weightTotal) {
      throw new IllegalArgumentException(
          "weightTotal: "
              + weightTotal
              + " (expected: at least 1 and the canaries' weights, "
              + sum
              + ")");
    }
    if (sum == 0) {
      return new CanaryPolicy(canaries, Optional.empty());
    }
    int[] weights = new int[canaries.size() + 1];
    weights[0] = (int) (weightTotal - sum);
    for (int i = 0; i < canaries.size(); i++) {
      weights[i + 1] = canaries.get(i).match().weight();
    }
    return new CanaryPolicy(canaries, Optional.of(SmoothWeights.of(weights)));
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.BACKEND_CHOICE;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    int backend = choose(request);
    if (backend != 0) {
      exchange.useBackend(backend);
    }
    exchange.proceed();
  }

  /**
   * The backend for a request, drawing a weight when session, headers and cookies do not decide.
   */
  public int choose(PolicyRequest request) {
    Decision decision = decide(request);
    if (decision.backend() >= 0) {
      return decision.backend();
    }
    int drawn = weights.orElseThrow().next();
    return drawn != 0 && decision.isExcluded(drawn) ? 0 : drawn;
  }

  /** Where a request goes by its session, headers and cookies, before any weight is drawn. */
  public Decision decide(PolicyRequest request) {
    long excluded = 0;
    int count = canaries.size();
    for (int i = 0; i < count; i++) {
      if (!canaries.get(i).available()) {
        excluded |= 1L << i;
      }
    }
    int pinned = request.pinnedBackend();
    if (pinned == 0 || (pinned > 0 && pinned <= count && (excluded & (1L << (pinned - 1))) == 0)) {
      return new Decision(pinned, Reason.SESSION, excluded);
    }
    for (int i = 0; i < count; i++) {
      if ((excluded & (1L << i)) != 0) {
        continue;
      }
      Optional<HeaderMatch> header = canaries.get(i).match().header();
      if (header.isEmpty()) {
        continue;
      }
      String value = request.header(header.get().name());
      if (value == null) {
        continue;
      }
      switch (header.get().verdict(value)) {
        case TAKE -> {
          return new Decision(i + 1, Reason.HEADER, excluded);
        }
        case EXCLUDE -> excluded |= 1L << i;
        case FALL_THROUGH -> {
          // The cookie and the weight decide.
        }
      }
    }
    List<String> cookieHeaders = null;
    for (int i = 0; i < count; i++) {
      Optional<String> cookie = canaries.get(i).match().cookie();
      if ((excluded & (1L << i)) != 0 || cookie.isEmpty()) {
        continue;
      }
      if (cookieHeaders == null) {
        cookieHeaders = request.headers("cookie");
      }
      String value = RequestCookies.first(cookieHeaders, cookie.get());
      if (value == null) {
        continue;
      }
      switch (CanaryMatch.cookieVerdict(value)) {
        case TAKE -> {
          return new Decision(i + 1, Reason.COOKIE, excluded);
        }
        case EXCLUDE -> excluded |= 1L << i;
        case FALL_THROUGH -> {
          // The weight decides.
        }
      }
    }
    if (weights.isPresent()) {
      for (int i = 0; i < count; i++) {
        if ((excluded & (1L << i)) == 0 && canaries.get(i).match().weight() > 0) {
          return new Decision(-1, Reason.WEIGHT, excluded);
        }
      }
    }
    return new Decision(0, Reason.NO_CANARY, excluded);
  }

  /** The weight total: the window over which the weights are exact; 0 when no canary has weight. */
  public int weightTotal() {
    return weights.map(SmoothWeights::total).orElse(0);
  }
}
