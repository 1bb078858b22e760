package io.portico.tls;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The certificates a TLS listener serves, by SNI name: an immutable map built with the routes of
 * one configuration and swapped with them.
 *
 * <p>{@link #select} picks, for a client's server name: the exact name, then the one-label wildcard
 * ({@code a.example.com -> *.example.com}; {@code a.b.example.com} never matches {@code
 * *.example.com}), then the default pair. A missing, empty or IP-literal server name gets the
 * default pair. A lookup is at most two hash lookups, takes no lock and remembers nothing, so the
 * untrusted names clients send cannot make it grow.
 *
 * <p>Two sets are equal when they map the same names to equal pairs and have equal default pairs,
 * so a configuration swap can skip a set that did not change.
 */
public final class CertificateSet {

  private final TlsKeyPair defaultPair;
  private final Map<String, TlsKeyPair> byName;
  // Every pair object in the set, by its alias, for SniKeyManager's alias resolution.
  private final Map<String, TlsKeyPair> byAlias;

  private CertificateSet(TlsKeyPair defaultPair, Map<String, TlsKeyPair> byName) {
    this.defaultPair = defaultPair;
    this.byName = Collections.unmodifiableMap(new HashMap<>(byName));
    Map<String, TlsKeyPair> aliases = new HashMap<>();
    aliases.put(defaultPair.alias(), defaultPair);
    for (TlsKeyPair pair : byName.values()) {
      aliases.put(pair.alias(), pair);
    }
    this.byAlias = Collections.unmodifiableMap(aliases);
  }

  /** A set that serves {@code defaultPair} to every client. */
  public static CertificateSet of(TlsKeyPair defaultPair) {
    return new CertificateSet(requireNonNull(defaultPair, "defaultPair"), Map.of());
  }

  /** A builder for a set that serves {@code defaultPair} when no name matches. */
  public static Builder builder(TlsKeyPair defaultPair) {
    return new Builder(requireNonNull(defaultPair, "defaultPair"));
  }

  /**
   * Whether {@code hostOrWildcard} can be registered: a DNS name of RFC 1123 labels, optionally
   * with one leading {@code *.} label, not an IP address. Case and one trailing dot do not matter.
   */
  public static boolean isValidName(String hostOrWildcard) {
    requireNonNull(hostOrWildcard, "hostOrWildcard");
    return HostNames.problem(HostNames.normalize(hostOrWildcard)) == null;
  }

  /**
   * The pair for a client's SNI server name: exact name, then one-label wildcard, then the default
   * pair. The name is lower-cased and one trailing dot stripped.
   *
   * @param serverName the SNI host name, or {@code null} when the client sent none
   * @return never {@code null}
   */
  public TlsKeyPair select(@Nullable String serverName) {
    if (serverName == null || serverName.isEmpty()) {
      return defaultPair;
    }
    String name = HostNames.normalize(serverName);
    if (name.isEmpty() || HostNames.isIpLiteral(name)) {
      // RFC 6066 section 3 forbids IP literals in SNI; a client that sends one gets the default.
      return defaultPair;
    }
    TlsKeyPair exact = byName.get(name);
    if (exact != null) {
      return exact;
    }
    String wildcard = HostNames.wildcardOf(name);
    if (wildcard != null) {
      TlsKeyPair pair = byName.get(wildcard);
      if (pair != null) {
        return pair;
      }
    }
    return defaultPair;
  }

  /** The pair served when no name matches. */
  public TlsKeyPair defaultPair() {
    return defaultPair;
  }

  /** The registered names and wildcards, sorted; empty when only the default pair is served. */
  public Set<String> names() {
    return Collections.unmodifiableSet(new TreeMap<>(byName).keySet());
  }

  /** The registered names with their pairs, sorted by name; empty when there are none. */
  public Map<String, TlsKeyPair> entries() {
    return Collections.unmodifiableMap(new TreeMap<>(byName));
  }

  /** The number of registered names (the default pair not counted). */
  public int size() {
    return byName.size();
  }

  /** The pair object with this {@link TlsKeyPair#alias()}, or {@code null} if not in this set. */
  @Nullable TlsKeyPair byAlias(String alias) {
    return byAlias.get(alias);
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof CertificateSet other
            && defaultPair.equals(other.defaultPair)
            && byName.equals(other.byName));
  }

  @Override
  public int hashCode() {
    return 31 * defaultPair.hashCode() + byName.hashCode();
  }

  @Override
  public String toString() {
    return "CertificateSet{default=" + defaultPair.subject() + ", names=" + names() + '}';
  }

  /**
   * Collects names for a {@link CertificateSet}. Names registered with {@link #add} win over names
   * taken from certificates by {@link #addFromSans}, whatever the order of the calls; within each
   * kind, the first registration of a name wins. Not thread-safe.
   */
  public static final class Builder {

    private final TlsKeyPair defaultPair;
    private final Map<String, TlsKeyPair> explicit = new LinkedHashMap<>();
    private final Map<String, TlsKeyPair> fromSans = new LinkedHashMap<>();

    private Builder(TlsKeyPair defaultPair) {
      this.defaultPair = defaultPair;
    }

    /**
     * Registers {@code pair} for a host name or a {@code *.} wildcard (for example from an
     * Ingress's {@code spec.tls[].hosts}), lower-cased, one trailing dot stripped.
     *
     * @return {@code true} when the name was taken, {@code false} when an earlier {@code add}
     *     already registered it (the caller may warn about the conflict)
     * @throws IllegalArgumentException when the name is not a valid host name or wildcard (see
     *     {@link #isValidName})
     */
    public boolean add(String hostOrWildcard, TlsKeyPair pair) {
      requireNonNull(hostOrWildcard, "hostOrWildcard");
      requireNonNull(pair, "pair");
      String name = HostNames.normalize(hostOrWildcard);
      String problem = HostNames.problem(name);
      if (problem != null) {
        throw new IllegalArgumentException(
            "hostOrWildcard: \"" + hostOrWildcard + "\": " + problem);
      }
      return explicit.putIfAbsent(name, pair) == null;
    }

    /**
     * Registers {@code pair} for each DNS name of its subjectAltName (exact names and {@code *.}
     * wildcards) that no {@link #add} registers. Names that are not valid patterns (a {@code *}
     * inside a label, for example) are skipped: they could never be selected.
     */
    public Builder addFromSans(TlsKeyPair pair) {
      requireNonNull(pair, "pair");
      for (String san : pair.dnsNames()) {
        String name = HostNames.normalize(san);
        if (HostNames.problem(name) == null) {
          fromSans.putIfAbsent(name, pair);
        }
      }
      return this;
    }

    /** The immutable set; the builder may be reused afterwards. */
    public CertificateSet build() {
      Map<String, TlsKeyPair> names = new HashMap<>(fromSans);
      names.putAll(explicit);
      return new CertificateSet(defaultPair, names);
    }
  }
}
