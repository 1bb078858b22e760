package io.portico.router.policy;

/** Headers that {@link HeaderEdits} can be applied to. Names are case-insensitive. */
public interface HeaderTarget {

  /** Replaces every value of {@code name} with {@code value}. */
  void set(String name, String value);

  /** Adds {@code value} to those of {@code name}. */
  void add(String name, String value);

  /** Removes every value of {@code name}. */
  void remove(String name);
}
