package io.portico.router.policy.limit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A set of IPv4 and IPv6 address blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, a single
 * address), parsed once, for {@code limit-allowlist}. Equal lists give equal sets.
 */
public final class AddressBlocks {

  /** No address. */
  public static final AddressBlocks NONE = new AddressBlocks(List.of());

  // Only literals: a name would be resolved by InetAddress.
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

  private record Block(byte[] prefix, int bits) {
    boolean contains(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
      int whole = bits / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != prefix[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (address[whole] & mask) == (prefix[whole] & mask);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Block b && bits == b.bits && Arrays.equals(prefix, b.prefix);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(prefix) + bits;
    }
  }

  private final List<String> written;
  private final List<Block> blocks;

  private AddressBlocks(List<String> written) {
    this.written = List.copyOf(written);
    List<Block> parsed = new ArrayList<>(written.size());
    for (String item : written) {
      parsed.add(block(item));
    }
    this.blocks = List.copyOf(parsed);
  }

  /**
   * The blocks of {@code items}, each an address or {@code address/bits}.
   *
   * @throws IllegalArgumentException naming the first item that is not one
   */
  public static AddressBlocks of(Collection<String> items) {
    return items.isEmpty() ? NONE : new AddressBlocks(List.copyOf(items));
  }

  /** Whether {@code item} is an address or {@code address/bits}. */
  public static boolean isValid(String item) {
    try {
      block(item);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether the address written {@code address} (an IP literal) is in one of the blocks. */
  public boolean contains(String address) {
    if (blocks.isEmpty() || !LITERAL.matcher(address).matches()) {
      return false;
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      return false;
    }
    for (Block block : blocks) {
      if (block.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  private static Block block(String item) {
    String text = item.strip();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (address.isEmpty() || !LITERAL.matcher(address).matches()) {
      throw new IllegalArgumentException(
          "address block: " + item + " (expected: an IP address or address/bits)");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "address block: " + item + " (expected: an IP address or address/bits)", e);
    }
    int bits = bytes.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > bytes.length * 8) {
        throw new IllegalArgumentException(
            "address block: " + item + " (expected: bits from 0 to " + bytes.length * 8 + ")");
      }
    }
    return new Block(bytes, bits);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof AddressBlocks other && blocks.equals(other.blocks);
  }

  @Override
  public int hashCode() {
    return blocks.hashCode();
  }

  @Override
  public String toString() {
    return String.join(",", written);
  }
}
