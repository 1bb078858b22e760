package io.portico.router.balance;

/**
 * Rendezvous (highest random weight) hashing: a session goes to the endpoint whose weight for that
 * session is highest. When an endpoint joins, only the sessions for which it now weighs most move,
 * all of them to it (about 1/n of them); when one leaves, only its own sessions move. Weights
 * depend on nothing but the session and the endpoint, so every replica computes the same mapping.
 *
 * <p>The weight is a strong 64-bit mix (the SplitMix64 finaliser) of the session key XOR the
 * endpoint's hash. Lookup is one pass over the endpoints; for the tens of endpoints a Service has,
 * that is cheaper than keeping a ring.
 */
final class Rendezvous {

  private Rendezvous() {}

  /** The weight of an endpoint for a session. */
  static long weight(long session, long endpointHash) {
    return mix(session ^ endpointHash);
  }

  /**
   * The index of the endpoint with the highest weight for {@code session}; the lower index on a
   * tie; -1 when there are no endpoints.
   */
  static int winner(long session, long[] endpointHashes) {
    int best = -1;
    long bestWeight = 0;
    for (int i = 0; i < endpointHashes.length; i++) {
      long w = weight(session, endpointHashes[i]);
      if (best < 0 || Long.compareUnsigned(w, bestWeight) > 0) {
        best = i;
        bestWeight = w;
      }
    }
    return best;
  }

  /**
   * A bijective 64-bit mix with full avalanche: every input bit flips each output bit by chance.
   */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
