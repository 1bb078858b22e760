package io.portico.router.address;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A set of IPv4 and IPv6 addresses given as CIDR blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32})
 * or single addresses, precomputed for lookups: the blocks of each family are merged into sorted,
 * disjoint ranges once, and {@link #contains} is a binary search over them, so a request pays
 * {@code O(log n)} however long the list, and nothing per block.
 *
 * <p>Blocks are read as ingress-nginx reads them (Go's {@code net.ParseCIDR}): bits set below the
 * prefix are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). An IPv6 block inside {@code
 * ::ffff:0:0/96} is the IPv4 block it maps; other IPv6 blocks, {@code ::/0} included, never match
 * IPv4 addresses.
 *
 * <p>Immutable. Two sets are equal when they hold the same blocks, as written after normalising (so
 * a translation of the same list gives an equal set).
 */
public final class CidrSet {

  /** No addresses. */
  public static final CidrSet EMPTY = new CidrSet(List.of(), new long[0], new long[0]);

  private final List<String> blocks;
  // IPv4 ranges: starts and ends (inclusive), ascending, disjoint.
  private final long[] v4;
  // IPv6 ranges as four longs each: start high, start low, end high, end low; ascending, disjoint.
  private final long[] v6;

  private CidrSet(List<String> blocks, long[] v4, long[] v6) {
    this.blocks = blocks;
    this.v4 = v4;
    this.v6 = v6;
  }

  /**
   * The set of the given blocks; spaces around each are ignored, empty items skipped.
   *
   * @throws IllegalArgumentException naming the first item that is not an address or a block
   */
  public static CidrSet parse(Collection<String> items) {
    requireNonNull(items, "items");
    List<Block> parsed = new ArrayList<>();
    for (String item : items) {
      requireNonNull(item, "item");
      String trimmed = item.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      parsed.add(
          Block.parse(trimmed)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "\""
                              + trimmed
                              + "\" (expected: an IPv4 or IPv6 address or CIDR block, e.g."
                              + " 10.0.0.0/8)")));
    }
    return of(parsed);
  }

  /** {@link #parse(Collection)} of a comma-separated list, as annotations and ConfigMaps write. */
  public static CidrSet parseList(String commaSeparated) {
    requireNonNull(commaSeparated, "commaSeparated");
    return parse(Arrays.asList(commaSeparated.split(",", -1)));
  }

  /** Whether {@code item} is an address or a block this class reads. */
  public static boolean isValid(String item) {
    return Block.parse(item.strip()).isPresent();
  }

  private static CidrSet of(List<Block> parsed) {
    if (parsed.isEmpty()) {
      return EMPTY;
    }
    List<String> texts = new ArrayList<>();
    List<long[]> ranges4 = new ArrayList<>();
    List<long[]> ranges6 = new ArrayList<>();
    for (Block block : parsed) {
      String text = block.toString();
      if (!texts.contains(text)) {
        texts.add(text);
      }
      if (block.network.isIpv4()) {
        long size = 1L << (32 - block.prefix);
        long start = block.network.low() & ~(size - 1) & 0xffff_ffffL;
        ranges4.add(new long[] {start, start + size - 1});
      } else {
        ranges6.add(block.range6());
      }
    }
    texts.sort(Comparator.naturalOrder());
    return new CidrSet(List.copyOf(texts), merge4(ranges4), merge6(ranges6));
  }

  /** Whether {@code address} is in one of the blocks; {@code false} for {@code null}. */
  public boolean contains(@Nullable IpAddress address) {
    if (address == null) {
      return false;
    }
    if (address.isIpv4()) {
      return contains4(address.low());
    }
    return contains6(address.high(), address.low());
  }

  /** Whether the set has no addresses. */
  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** The blocks, normalised ({@code 10.0.0.0/8}, a single address without prefix), sorted. */
  public List<String> blocks() {
    return blocks;
  }

  private boolean contains4(long value) {
    int low = 0;
    int high = v4.length / 2 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (v4[2 * mid] > value) {
        high = mid - 1;
      } else if (v4[2 * mid + 1] < value) {
        low = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  private boolean contains6(long valueHigh, long valueLow) {
    int low = 0;
    int high = v6.length / 4 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int i = 4 * mid;
      if (compare(v6[i], v6[i + 1], valueHigh, valueLow) > 0) {
        high = mid - 1;
      } else if (compare(v6[i + 2], v6[i + 3], valueHigh, valueLow) < 0) {
        low = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  private static int compare(long aHigh, long aLow, long bHigh, long bLow) {
    int byHigh = Long.compareUnsigned(aHigh, bHigh);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(aLow, bLow);
  }

  private static long[] merge4(List<long[]> ranges) {
    ranges.sort(Comparator.comparingLong(r -> r[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] range : ranges) {
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && range[0] <= last[1] + 1) {
        last[1] = Math.max(last[1], range[1]);
      } else {
        merged.add(range.clone());
      }
    }
    long[] flat = new long[merged.size() * 2];
    for (int i = 0; i < merged.size(); i++) {
      flat[2 * i] = merged.get(i)[0];
      flat[2 * i + 1] = merged.get(i)[1];
    }
    return flat;
  }

  private static long[] merge6(List<long[]> ranges) {
    ranges.sort((a, b) -> compare(a[0], a[1], b[0], b[1]));
    List<long[]> merged = new ArrayList<>();
    for (long[] range : ranges) {
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && adjacentOrOverlapping(last, range)) {
        if (compare(range[2], range[3], last[2], last[3]) > 0) {
          last[2] = range[2];
          last[3] = range[3];
        }
      } else {
        merged.add(range.clone());
      }
    }
    long[] flat = new long[merged.size() * 4];
    for (int i = 0; i < merged.size(); i++) {
      System.arraycopy(merged.get(i), 0, flat, 4 * i, 4);
    }
    return flat;
  }

  /** Whether {@code next} starts at or before one past the end of {@code last}. */
  private static boolean adjacentOrOverlapping(long[] last, long[] next) {
    if (compare(next[0], next[1], last[2], last[3]) <= 0) {
      return true;
    }
    long endLow = last[3] + 1;
    long endHigh = endLow == 0 ? last[2] + 1 : last[2];
    return next[0] == endHigh && next[1] == endLow;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o == this || (o instanceof CidrSet other && blocks.equals(other.blocks));
  }

  @Override
  public int hashCode() {
    return blocks.hashCode();
  }

  /** The blocks, comma-separated. */
  @Override
  public String toString() {
    return String.join(",", blocks);
  }

  /** One address or CIDR block, its host bits cleared. */
  private record Block(IpAddress network, int prefix) {

    static Optional<Block> parse(String text) {
      int slash = text.indexOf('/');
      String address = slash < 0 ? text : text.substring(0, slash);
      Optional<IpAddress> parsed = IpAddress.parse(address);
      if (parsed.isEmpty()) {
        return Optional.empty();
      }
      IpAddress ip = parsed.get();
      // A block written in IPv6 but mapping IPv4 addresses counts its prefix over the IPv6 bits.
      boolean writtenAsIpv6 = address.indexOf(':') >= 0;
      int bits = writtenAsIpv6 ? 128 : 32;
      int prefix = bits;
      if (slash >= 0) {
        String digits = text.substring(slash + 1);
        if (digits.isEmpty()
            || digits.length() > 3
            || !digits.chars().allMatch(Character::isDigit)) {
          return Optional.empty();
        }
        prefix = Integer.parseInt(digits);
        if (prefix > bits) {
          return Optional.empty();
        }
      }
      if (ip.isIpv4() && writtenAsIpv6) {
        if (prefix < 96) {
          // Wider than the mapped range: an IPv6 block that matches no IPv4 address.
          return Optional.of(
              new Block(IpAddress.ipv6Unmapped(0, 0xffff_0000_0000L), 0).masked6(prefix));
        }
        prefix -= 96;
      }
      return Optional.of(ip.isIpv4() ? masked4(ip, prefix) : new Block(ip, prefix).masked6(prefix));
    }

    private static Block masked4(IpAddress ip, int prefix) {
      long mask = prefix == 0 ? 0 : (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL;
      return new Block(IpAddress.ipv4(ip.low() & mask), prefix);
    }

    private Block masked6(int newPrefix) {
      long highMask = newPrefix >= 64 ? -1L : newPrefix == 0 ? 0 : -1L << (64 - newPrefix);
      long lowMask = newPrefix <= 64 ? 0 : newPrefix == 128 ? -1L : -1L << (128 - newPrefix);
      return new Block(
          IpAddress.ipv6Unmapped(network.high() & highMask, network.low() & lowMask), newPrefix);
    }

    /** Start and end of an IPv6 block: high, low, high, low. */
    long[] range6() {
      long highHost = prefix >= 64 ? 0 : prefix == 0 ? -1L : -1L >>> prefix;
      long lowHost = prefix <= 64 ? -1L : prefix == 128 ? 0 : -1L >>> (prefix - 64);
      return new long[] {
        network.high(), network.low(), network.high() | highHost, network.low() | lowHost
      };
    }

    @Override
    public String toString() {
      int full = network.isIpv4() ? 32 : 128;
      return prefix == full ? network.toString() : network + "/" + prefix;
    }
  }
}
