package io.portico.router.balance;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;

/**
 * The cookie values of one backend in one configuration generation, computed once when the routing
 * table is frozen so that reading a cookie on the request path costs a table lookup or a hash pass,
 * never an HMAC. Immutable and shared by every event loop.
 *
 * <p>Endpoints are numbered as the balancer numbers them: first the {@code readyCount} ready ones,
 * then the draining ones (serving but terminating), which keep the clients already pinned to them
 * and get no new ones.
 *
 * <p>Values, all base64url without padding, keyed with the {@link AffinityKey} and scoped by the
 * backend ({@code namespace/service:port}), so a cookie for one backend never pins another:
 *
 * <ul>
 *   <li>persistent: the first 18 bytes of {@code HMAC(key, "portico-affinity-endpoint" 0 scope 0
 *       identity 0)}, 24 characters that name one endpoint;
 *   <li>balanced: a random 64-bit session key (11 characters) followed by the first 9 bytes of
 *       {@code HMAC(key, "portico-affinity-backend" 0 scope 0)} (12 characters) that say which
 *       backend the session belongs to. The session maps onto the endpoints by {@link Rendezvous}
 *       hashing; each endpoint's hash is bytes 18 to 25 of its persistent digest.
 * </ul>
 */
public final class StickyIndex {

  /** No endpoint: the cookie is absent, stale, foreign or junk. */
  public static final int NONE = -1;

  /** How many random session keys a new balanced session tries before giving up on a cookie. */
  static final int NEW_SESSION_ATTEMPTS = 64;

  static final int PERSISTENT_BYTES = 18;
  static final int PERSISTENT_CHARS = 24;
  static final int TAG_BYTES = 9;
  static final int TAG_CHARS = 12;
  static final int BALANCED_CHARS = CookieValues.SESSION_CHARS + TAG_CHARS;

  private final CookieAffinity affinity;
  private final List<String> identities;
  private final int readyCount;
  private final String[] persistentValues;
  private final long[] endpointHashes;
  private final String tag;
  private final String[] lookupKeys;
  private final int[] lookupIndexes;
  private final int lookupMask;

  /**
   * Computes the values of a backend's endpoints.
   *
   * @param scope the backend as {@code namespace/service:port}
   * @param identities the endpoints' stable identities, ready ones first
   * @param readyCount how many of {@code identities} are ready; the rest are draining
   */
  public StickyIndex(
      AffinityKey key,
      String scope,
      CookieAffinity affinity,
      List<String> identities,
      int readyCount) {
    requireNonNull(key, "key");
    requireNonNull(scope, "scope");
    this.affinity = requireNonNull(affinity, "affinity");
    this.identities = List.copyOf(identities);
    if (readyCount < 0 || readyCount > identities.size()) {
      throw new IllegalArgumentException(
          "readyCount: " + readyCount + " (expected: 0-" + identities.size() + ")");
    }
    this.readyCount = readyCount;
    int size = identities.size();
    Mac mac = key.newMac();
    persistentValues = new String[size];
    endpointHashes = new long[size];
    for (int i = 0; i < size; i++) {
      byte[] digest =
          AffinityKey.digest(mac, "portico-affinity-endpoint", scope, identities.get(i));
      persistentValues[i] = CookieValues.encode(digest, PERSISTENT_BYTES);
      endpointHashes[i] = ByteBuffer.wrap(digest, PERSISTENT_BYTES, Long.BYTES).getLong();
    }
    tag =
        CookieValues.encode(AffinityKey.digest(mac, "portico-affinity-backend", scope), TAG_BYTES);

    int capacity = Integer.highestOneBit(Math.max(2, size * 2) - 1) << 1;
    lookupKeys = new String[capacity];
    lookupIndexes = new int[capacity];
    lookupMask = capacity - 1;
    for (int i = 0; i < size; i++) {
      int slot = spread(persistentValues[i].hashCode()) & lookupMask;
      while (lookupKeys[slot] != null && !lookupKeys[slot].equals(persistentValues[i])) {
        slot = (slot + 1) & lookupMask;
      }
      if (lookupKeys[slot] == null) {
        lookupKeys[slot] = persistentValues[i];
        lookupIndexes[slot] = i;
      }
    }
  }

  public CookieAffinity affinity() {
    return affinity;
  }

  /** How many endpoints are ready; indexes from here on are draining. */
  public int readyCount() {
    return readyCount;
  }

  /** The number of endpoints, ready and draining. */
  public int size() {
    return identities.size();
  }

  /** The identity of an endpoint, for tests and logs (it never goes into a response). */
  public String identity(int index) {
    return identities.get(index);
  }

  /**
   * The endpoint a cookie value pins, or {@link #NONE} when the value is not one of this backend's
   * in this mode: absent endpoint, another backend's cookie, another key's, or junk. Allocation
   * free.
   *
   * @param text the text the value sits in (a whole {@code Cookie} header)
   * @param from where the value starts
   * @param to where it ends (exclusive)
   */
  public int match(String text, int from, int to) {
    if (affinity.mode() == AffinityMode.PERSISTENT) {
      return to - from == PERSISTENT_CHARS ? lookup(text, from, to) : NONE;
    }
    if (to - from != BALANCED_CHARS
        || !text.regionMatches(from + CookieValues.SESSION_CHARS, tag, 0, TAG_CHARS)
        || !CookieValues.isSession(text, from)) {
      return NONE;
    }
    return endpointOf(CookieValues.decodeSession(text, from));
  }

  private int lookup(String text, int from, int to) {
    int hash = 0;
    for (int i = from; i < to; i++) {
      hash = 31 * hash + text.charAt(i);
    }
    int slot = spread(hash) & lookupMask;
    String candidate;
    while ((candidate = lookupKeys[slot]) != null) {
      if (text.regionMatches(from, candidate, 0, PERSISTENT_CHARS)) {
        return lookupIndexes[slot];
      }
      slot = (slot + 1) & lookupMask;
    }
    return NONE;
  }

  /** The persistent cookie value that pins {@code index}. */
  public String persistentValue(int index) {
    return persistentValues[index];
  }

  /** The balanced cookie value of a session key. */
  public String balancedValue(long session) {
    return CookieValues.encodeSession(session) + tag;
  }

  /** The endpoint a balanced session maps to among all endpoints, ready and draining. */
  public int endpointOf(long session) {
    return Rendezvous.winner(session, endpointHashes);
  }

  /**
   * Whether a new session may go to {@code index}: a ready endpoint other than {@code excluded}.
   * Draining endpoints take no new sessions.
   */
  public boolean acceptsNew(int index, int excluded) {
    return index >= 0 && index < readyCount && index != excluded;
  }

  /**
   * A random session key for a new balanced session that maps to a ready endpoint other than {@code
   * excluded} ({@link #NONE} to exclude nothing), drawing up to {@value #NEW_SESSION_ATTEMPTS}
   * keys. Keys are drawn rather than built so the mapping stays the plain consistent hash every
   * replica computes; a key that maps to a draining endpoint would later be mistaken for a client
   * pinned there before it started draining. Check the result with {@link #acceptsNew}: when
   * draining endpoints far outnumber ready ones every draw can miss, and the caller then balances
   * the request without setting a cookie.
   */
  public long newSession(int excluded) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long session = random.nextLong();
    if (readyCount == 0) {
      return session;
    }
    for (int attempt = 1;
        attempt < NEW_SESSION_ATTEMPTS && !acceptsNew(endpointOf(session), excluded);
        attempt++) {
      session = random.nextLong();
    }
    return session;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }

  @Override
  public String toString() {
    return "StickyIndex[" + affinity + ", " + readyCount + " ready, " + size() + " in all]";
  }
}
