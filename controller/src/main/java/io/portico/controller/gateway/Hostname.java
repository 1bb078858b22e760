package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * A Gateway API hostname: a name ({@code foo.example.com}) or a wildcard whose {@code *} stands for
 * <em>one or more</em> leading labels ({@code *.example.com} matches {@code a.example.com} and
 * {@code a.b.example.com}, never {@code example.com}). That is wider than the Ingress wildcard,
 * which stands for exactly one label, so the two are kept apart.
 *
 * @param value the hostname as written, lower case
 */
public record Hostname(String value) implements Comparable<Hostname> {

  /**
   * Most specific first: names before wildcards, longer wildcards (more labels after the {@code *})
   * before shorter ones; then by text, so that the order is total.
   */
  public static final Comparator<Hostname> MOST_SPECIFIC_FIRST =
      Comparator.comparing(Hostname::isWildcard)
          .thenComparing(Comparator.comparingInt((Hostname h) -> h.value.length()).reversed())
          .thenComparing(Hostname::value);

  public Hostname {
    requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("hostname: \"\" (expected: a name or *.name)");
    }
    value = value.toLowerCase(Locale.ROOT);
  }

  public static Hostname of(String value) {
    return new Hostname(value);
  }

  public boolean isWildcard() {
    return value.startsWith("*.");
  }

  /** For a wildcard, what follows {@code *.}; for a name, the name. */
  public String suffix() {
    return isWildcard() ? value.substring(2) : value;
  }

  /** Whether a request's host name (no port, any case) is covered by this hostname. */
  public boolean matches(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (!isWildcard()) {
      return name.equals(value);
    }
    String suffix = suffix();
    return name.length() > suffix.length() + 1
        && name.endsWith(suffix)
        && name.charAt(name.length() - suffix.length() - 1) == '.';
  }

  /**
   * The hostnames both this and {@code other} cover, as one hostname: the more specific of the two
   * when one covers the other, else nothing. A listener's hostname and a route's meet this way.
   */
  public Optional<Hostname> intersect(Hostname other) {
    if (covers(other)) {
      return Optional.of(other);
    }
    if (other.covers(this)) {
      return Optional.of(this);
    }
    return Optional.empty();
  }

  /** Whether every name {@code other} covers, this covers too. */
  public boolean covers(Hostname other) {
    if (equals(other)) {
      return true;
    }
    if (!isWildcard()) {
      return false;
    }
    // *.S covers a name or wildcard strictly below S: x.S, *.x.S; never S itself.
    return other.isWildcard() ? matches(other.suffix()) : matches(other.value);
  }

  @Override
  public int compareTo(Hostname other) {
    return MOST_SPECIFIC_FIRST.compare(this, other);
  }

  @Override
  public String toString() {
    return value;
  }
}
