package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.balance.AffinityKey;
import io.portico.router.balance.BackendPolicy;
import io.portico.router.balance.LoadBalancing;
import io.portico.router.balance.StickyIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jspecify.annotations.Nullable;

/**
 * The runtime side of a {@link Backend} within one configuration generation: it chooses the
 * endpoint for each request. Its state is lock-free and is not part of any equality: two tables
 * with equal routes are equal whatever their counters say.
 *
 * <p>Endpoints are numbered ready ones first ({@code 0 .. readyCount-1}, in the backend's order),
 * then draining ones. New requests only ever go to ready endpoints; draining ones are reachable
 * through a session cookie that pins them (see {@link #sticky()}).
 *
 * <p>State lives with the upstream: the round-robin position and the in-flight counters of {@code
 * least_request}. A table {@linkplain RouteTableEdit edited} from the previous one keeps the
 * upstream of every backend it still uses, whichever hosts use it, and that state carries on (see
 * {@link UpstreamLineage}); only a backend that is new or changed (its endpoints or its policy)
 * gets a new upstream, with fresh state. Requests in flight finish on the upstream they started
 * with and are counted there.
 */
public final class Upstream {

  /** No endpoint. */
  public static final int NONE = -1;

  private final Backend backend;
  private final int backendHash;
  private final LoadBalancing loadBalancing;
  private final Endpoint[] all;
  private final int readyCount;
  private final AtomicInteger next = new AtomicInteger();
  private final @Nullable AtomicIntegerArray inFlight;
  private final @Nullable StickyIndex sticky;

  Upstream(Backend backend) {
    this(backend, AffinityKey.builtIn());
  }

  Upstream(Backend backend, AffinityKey key) {
    this.backend = backend;
    this.backendHash = backend.hashCode();
    BackendPolicy policy = backend.policy();
    this.loadBalancing = policy.loadBalancing();
    List<Endpoint> endpoints = new ArrayList<>(backend.endpoints());
    endpoints.addAll(backend.draining());
    this.all = endpoints.toArray(new Endpoint[0]);
    this.readyCount = backend.endpoints().size();
    // Counting costs two atomic operations per request on a shared cache line: only the policy that
    // reads the counts pays for them.
    this.inFlight =
        loadBalancing == LoadBalancing.LEAST_REQUEST ? new AtomicIntegerArray(all.length) : null;
    this.sticky =
        policy
            .affinity()
            .map(
                affinity ->
                    new StickyIndex(
                        key,
                        backend.id().toString(),
                        affinity,
                        endpoints.stream().map(Endpoint::identity).toList(),
                        readyCount))
            .orElse(null);
  }

  public Backend backend() {
    return backend;
  }

  /** {@code backend().hashCode()}, computed once: it walks every endpoint. */
  int backendHash() {
    return backendHash;
  }

  /** The precomputed session cookies of this backend, or {@code null} when it has no affinity. */
  public @Nullable StickyIndex sticky() {
    return sticky;
  }

  /** How many endpoints take new requests; indexes from here on are draining. */
  public int readyCount() {
    return readyCount;
  }

  /** The endpoint with this index, ready or draining. */
  public Endpoint endpoint(int index) {
    return all[index];
  }

  /** A ready endpoint for a new request by the backend's policy, or {@link #NONE} when none. */
  public int choose() {
    int n = readyCount;
    if (n <= 1) {
      return n - 1;
    }
    return switch (loadBalancing) {
      case ROUND_ROBIN -> Math.floorMod(next.getAndIncrement(), n);
      case RANDOM -> ThreadLocalRandom.current().nextInt(n);
      case LEAST_REQUEST -> leastOfTwo(n, NONE);
    };
  }

  /**
   * A ready endpoint other than {@code failed}, by the backend's policy, for the one retry after a
   * failed attempt; {@link #NONE} when there is no other.
   */
  public int chooseOther(int failed) {
    int n = readyCount;
    int others = failed >= 0 && failed < n ? n - 1 : n;
    if (others <= 0) {
      return NONE;
    }
    return switch (loadBalancing) {
      case ROUND_ROBIN -> {
        int start = Math.floorMod(next.getAndIncrement(), n);
        int candidate = start == failed ? (start + 1) % n : start;
        yield candidate;
      }
      case RANDOM -> skip(ThreadLocalRandom.current().nextInt(others), failed);
      case LEAST_REQUEST -> others == 1 ? skip(0, failed) : leastOfTwo(others, failed);
    };
  }

  /**
   * The power of two random choices: two different endpoints drawn among {@code candidates} ready
   * ones (numbered without {@code excluded}), the one with fewer requests in flight. Reading two
   * counters that other event loops change is racy by design: a stale count costs a slightly worse
   * choice, never a lock.
   */
  private int leastOfTwo(int candidates, int excluded) {
    requireNonNull(inFlight, "inFlight");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int first = random.nextInt(candidates);
    int second = random.nextInt(candidates - 1);
    if (second >= first) {
      second++;
    }
    int a = skip(first, excluded);
    int b = skip(second, excluded);
    return inFlight.get(b) < inFlight.get(a) ? b : a;
  }

  /** Maps a position among the ready endpoints without {@code excluded} to an index. */
  private static int skip(int position, int excluded) {
    return excluded >= 0 && position >= excluded ? position + 1 : position;
  }

  /** Counts a request now on its way to an endpoint (for {@code least_request}). */
  public void begin(int index) {
    if (inFlight != null) {
      inFlight.incrementAndGet(index);
    }
  }

  /** Counts a request to an endpoint as finished; exactly one call per {@link #begin}. */
  public void end(int index) {
    if (inFlight != null) {
      inFlight.decrementAndGet(index);
    }
  }

  /**
   * Requests in flight to an endpoint through this generation; 0 when the policy does not count
   * them, or when the endpoint is not one of this backend's.
   */
  public int inFlight(Endpoint endpoint) {
    int index = indexOf(endpoint);
    return inFlight == null || index == NONE ? 0 : inFlight.get(index);
  }

  /** The index of an endpoint, or {@link #NONE}. */
  public int indexOf(Endpoint endpoint) {
    for (int i = 0; i < all.length; i++) {
      if (all[i].equals(endpoint)) {
        return i;
      }
    }
    return NONE;
  }

  /** A ready endpoint by the backend's policy, or {@code null} when the backend has none. */
  public @Nullable Endpoint pick() {
    int index = choose();
    return index == NONE ? null : all[index];
  }

  /**
   * A ready endpoint other than {@code failed}, for the one retry after a connection failure, or
   * {@code null} when there is no other.
   */
  public @Nullable Endpoint pickOther(Endpoint failed) {
    int index = chooseOther(indexOf(failed));
    return index == NONE ? null : all[index];
  }

  @Override
  public String toString() {
    return backend.toString();
  }
}
