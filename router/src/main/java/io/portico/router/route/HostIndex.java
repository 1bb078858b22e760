package io.portico.router.route;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Values keyed by Gateway API host names: exact names, {@code *.} wildcards that stand for one or
 * more labels ({@code *.example.com} covers {@code a.example.com} and {@code a.b.example.com},
 * never {@code example.com}), and {@code ""} for every name. A lookup tries the names covering a
 * host from the most specific: the exact name, then the wildcards from the longest suffix, then
 * every name; each probe is one hash lookup, one per label of the host.
 *
 * @param <T> the values
 */
final class HostIndex<T> {

  /** How specific a key is: an exact name, a wildcard (with its suffix's length), or any name. */
  enum Kind {
    EXACT,
    WILDCARD,
    ANY
  }

  private final Map<String, T> exact = new HashMap<>();
  // By the suffix after "*.".
  private final Map<String, T> wildcards = new HashMap<>();
  private @Nullable T any;

  /** Adds a value for a key ({@code name}, {@code *.suffix} or {@code ""}), lower case. */
  void put(String key, T value) {
    if (key.isEmpty()) {
      any = value;
    } else if (key.startsWith("*.")) {
      wildcards.put(key.substring(2), value);
    } else {
      exact.put(key, value);
    }
  }

  boolean isEmpty() {
    return exact.isEmpty() && wildcards.isEmpty() && any == null;
  }

  /**
   * The first non-null result of {@code visit} over the values whose keys cover {@code host}, most
   * specific first; {@code null} when there is none.
   */
  <R> @Nullable R first(String host, Function<T, @Nullable R> visit) {
    T value = exact.get(host);
    if (value != null) {
      R result = visit.apply(value);
      if (result != null) {
        return result;
      }
    }
    if (!wildcards.isEmpty()) {
      for (int dot = host.indexOf('.'); dot > 0; dot = host.indexOf('.', dot + 1)) {
        T wildcard = wildcards.get(host.substring(dot + 1));
        if (wildcard != null) {
          R result = visit.apply(wildcard);
          if (result != null) {
            return result;
          }
        }
      }
    }
    return any == null ? null : visit.apply(any);
  }

  /** The most specific value whose key covers {@code host}, or {@code null}. */
  @Nullable T best(String host) {
    return first(host, value -> value);
  }

  /**
   * How specific the most specific key covering {@code host} is, as a rank comparable with an
   * Ingress host pattern's (see {@link #rank}); -1 when no key covers it.
   */
  long bestRank(String host) {
    if (exact.containsKey(host)) {
      return rank(Kind.EXACT, host.length());
    }
    if (!wildcards.isEmpty()) {
      for (int dot = host.indexOf('.'); dot > 0; dot = host.indexOf('.', dot + 1)) {
        String suffix = host.substring(dot + 1);
        if (wildcards.containsKey(suffix)) {
          return rank(Kind.WILDCARD, suffix.length());
        }
      }
    }
    return any == null ? -1 : rank(Kind.ANY, 0);
  }

  /**
   * A rank: higher is more specific. An exact name ranks above every wildcard, a wildcard with a
   * longer suffix above one with a shorter, and any name lowest.
   */
  static long rank(Kind kind, int suffixLength) {
    return switch (kind) {
      case EXACT -> 3L << 32;
      case WILDCARD -> (2L << 32) + suffixLength;
      case ANY -> 1L << 32;
    };
  }
}
