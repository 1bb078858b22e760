package io.portico.controller.config;

import static java.util.Objects.requireNonNull;

import io.portico.router.address.CidrSet;
import java.util.Optional;

/**
 * The value of a ConfigMap key that lists source ranges ({@code whitelist-source-range}, {@code
 * denylist-source-range}). Unlike other keys, a value that does not read is kept, as invalid,
 * rather than replaced by the default: the default (no list) would open every route the list was
 * meant to close, so the routes that would use it are refused instead (fail closed).
 *
 * @param ranges the ranges; empty when none are set or the value is invalid
 * @param invalid why the value does not read, naming it; empty when it reads
 */
public record SourceRanges(CidrSet ranges, Optional<String> invalid) {

  /** No ranges. */
  public static final SourceRanges NONE = new SourceRanges(CidrSet.EMPTY, Optional.empty());

  public SourceRanges {
    requireNonNull(ranges, "ranges");
    requireNonNull(invalid, "invalid");
  }

  /** Reads a comma-separated list; never empty: an invalid list is kept as such. */
  static Optional<SourceRanges> read(String text) {
    try {
      CidrSet ranges = CidrSet.parseList(text);
      return Optional.of(ranges.isEmpty() ? NONE : new SourceRanges(ranges, Optional.empty()));
    } catch (IllegalArgumentException e) {
      return Optional.of(
          new SourceRanges(CidrSet.EMPTY, Optional.of(String.valueOf(e.getMessage()))));
    }
  }

  /** The ranges as written after normalising, or the invalid value's message. */
  @Override
  public String toString() {
    return invalid.map(why -> "invalid: " + why).orElse(ranges.toString());
  }
}
