package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The policies of one route, ordered by {@link PolicyPhase} once, when the route is built; within a
 * phase they keep the order they were given in. Immutable and shared by every request of the route.
 *
 * <p>A route without policies holds {@link #NONE}, and the proxy asks {@code policies == NONE}
 * before anything else: such a route pays one reference comparison per request and allocates
 * nothing for policies. {@link #of} returns {@code NONE} for no policies, so no other empty
 * instance exists.
 */
public final class RoutePolicies {

  /** No policies: the request goes straight to the upstream attempt. */
  public static final RoutePolicies NONE = new RoutePolicies(List.of(), List.of());

  private static final Comparator<RequestPolicy> BY_PHASE =
      Comparator.comparing(RequestPolicy::phase);

  private final List<RequestPolicy> all;
  private final List<ResponseHeadPolicy> responseHead;

  private RoutePolicies(List<RequestPolicy> all, List<ResponseHeadPolicy> responseHead) {
    this.all = all;
    this.responseHead = responseHead;
  }

  /** The given policies, ordered by phase (a stable sort); {@link #NONE} when there are none. */
  public static RoutePolicies of(List<? extends RequestPolicy> policies) {
    requireNonNull(policies, "policies");
    if (policies.isEmpty()) {
      return NONE;
    }
    List<RequestPolicy> sorted = new ArrayList<>(policies.size());
    for (RequestPolicy policy : policies) {
      requireNonNull(policy, "policy");
      requireNonNull(policy.phase(), "phase of " + policy);
      sorted.add(policy);
    }
    sorted.sort(BY_PHASE);
    List<ResponseHeadPolicy> heads = new ArrayList<>();
    for (RequestPolicy policy : sorted) {
      if (policy instanceof ResponseHeadPolicy head) {
        heads.add(head);
      }
    }
    return new RoutePolicies(List.copyOf(sorted), List.copyOf(heads));
  }

  /** See {@link #of(List)}. */
  public static RoutePolicies of(RequestPolicy... policies) {
    return of(List.of(policies));
  }

  /** These policies and {@code more}, ordered by phase; within a phase these come first. */
  public RoutePolicies with(RoutePolicies more) {
    requireNonNull(more, "more");
    if (more.all.isEmpty()) {
      return this;
    }
    if (all.isEmpty()) {
      return more;
    }
    List<RequestPolicy> merged = new ArrayList<>(all);
    merged.addAll(more.all);
    return of(merged);
  }

  /** Every policy, in the order they run. */
  public List<RequestPolicy> all() {
    return all;
  }

  /** The policies that edit every response head of the route, in phase order; often empty. */
  public List<ResponseHeadPolicy> responseHeadPolicies() {
    return responseHead;
  }

  public boolean isEmpty() {
    return all.isEmpty();
  }

  /** Whether every policy of {@code other} is among these. */
  public boolean containsAll(RoutePolicies other) {
    return all.containsAll(other.all);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof RoutePolicies other && all.equals(other.all));
  }

  @Override
  public int hashCode() {
    return all.hashCode();
  }

  @Override
  public String toString() {
    return all.toString();
  }
}
