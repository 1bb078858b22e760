package io.portico.router.address;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 address, parsed from text without any name lookup. An IPv4-mapped IPv6 address
 * ({@code ::ffff:192.0.2.1}, what a dual-stack socket reports for an IPv4 client) is the IPv4
 * address it maps, so that IPv4 ranges match it, as nginx's access checks do.
 *
 * <p>Immutable; equal addresses are equal objects. {@link #toString()} is the canonical text:
 * dotted quad for IPv4, RFC 5952 for IPv6 ({@code 2001:db8::1}).
 */
public final class IpAddress {

  // IPv4: the address in the low 32 bits of low, high 0. IPv6: the 128 bits, high word first.
  private final long high;
  private final long low;
  private final boolean ipv4;

  private IpAddress(long high, long low, boolean ipv4) {
    this.high = high;
    this.low = low;
    this.ipv4 = ipv4;
  }

  /** The IPv4 address of these 32 bits. */
  static IpAddress ipv4(long bits) {
    return new IpAddress(0, bits & 0xffff_ffffL, true);
  }

  /** The IPv6 address of these 128 bits, even when they map an IPv4 address (for blocks). */
  static IpAddress ipv6Unmapped(long high, long low) {
    return new IpAddress(high, low, false);
  }

  /** The IPv6 address of these 128 bits, or the IPv4 address they map. */
  static IpAddress ipv6(long high, long low) {
    if (high == 0 && (low >>> 32) == 0xffffL) {
      return ipv4(low);
    }
    return new IpAddress(high, low, false);
  }

  /**
   * Parses an IP literal: a dotted quad ({@code 192.0.2.1}, no leading zeros) or an IPv6 address
   * ({@code 2001:db8::1}, {@code ::ffff:192.0.2.1}). Nothing else: no host names, no brackets, no
   * ports, no zone.
   *
   * @return the address, or empty when {@code text} is not an IP literal
   */
  public static Optional<IpAddress> parse(String text) {
    requireNonNull(text, "text");
    return Optional.ofNullable(parseOrNull(text, 0, text.length()));
  }

  /**
   * Parses the address of a connection's peer as the network stack writes it: an IP literal, an
   * IPv6 one possibly with a zone ({@code fe80::1%eth0}), which is dropped.
   *
   * @return the address, or empty when {@code text} is not one
   */
  public static Optional<IpAddress> parsePeer(String text) {
    requireNonNull(text, "text");
    int zone = text.indexOf('%');
    return Optional.ofNullable(parseOrNull(text, 0, zone < 0 ? text.length() : zone));
  }

  /**
   * Parses one element of a forwarding header ({@code X-Forwarded-For}): an IP literal, optionally
   * with a port ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711}) or in brackets, surrounding
   * spaces ignored. Proxies that write ports do so; the port is not part of the address.
   *
   * @return the address, or empty when the element is not one
   */
  public static Optional<IpAddress> parseForwarded(String element) {
    requireNonNull(element, "element");
    int start = 0;
    int end = element.length();
    while (start < end && isSpace(element.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(element.charAt(end - 1))) {
      end--;
    }
    if (start < end && element.charAt(start) == '[') {
      int close = element.indexOf(']', start);
      if (close < 0 || (close + 1 < end && !isPort(element, close + 2, end, close + 1))) {
        return Optional.empty();
      }
      return Optional.ofNullable(parseOrNull(element, start + 1, close));
    }
    int colon = element.indexOf(':', start);
    if (colon >= 0 && colon < end && element.indexOf(':', colon + 1) < 0) {
      // One colon: IPv4 with a port.
      if (!isPort(element, colon + 1, end, colon)) {
        return Optional.empty();
      }
      end = colon;
    }
    return Optional.ofNullable(parseOrNull(element, start, end));
  }

  /** Whether this is an IPv4 address (an IPv4-mapped IPv6 address included). */
  public boolean isIpv4() {
    return ipv4;
  }

  /** The high 64 bits of an IPv6 address; 0 for IPv4. */
  long high() {
    return high;
  }

  /** The low 64 bits of an IPv6 address, or the 32 bits of an IPv4 one. */
  long low() {
    return low;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o == this
        || (o instanceof IpAddress other
            && ipv4 == other.ipv4
            && high == other.high
            && low == other.low);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(high) * 31 + Long.hashCode(low) + (ipv4 ? 1 : 0);
  }

  /** The canonical text: {@code 192.0.2.1}, {@code 2001:db8::1}. */
  @Override
  public String toString() {
    if (ipv4) {
      return ((low >>> 24) & 0xff)
          + "."
          + ((low >>> 16) & 0xff)
          + "."
          + ((low >>> 8) & 0xff)
          + "."
          + (low & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 4; i++) {
      groups[i] = (int) ((high >>> (48 - 16 * i)) & 0xffff);
      groups[i + 4] = (int) ((low >>> (48 - 16 * i)) & 0xffff);
    }
    // RFC 5952, section 4.2: the longest run of two or more zero groups, the first on a tie.
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder text = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }

  private static @Nullable IpAddress parseOrNull(String text, int start, int end) {
    if (start >= end || end - start > 45) {
      return null;
    }
    for (int i = start; i < end; i++) {
      if (text.charAt(i) == ':') {
        return parseIpv6(text, start, end);
      }
    }
    long bits = parseIpv4(text, start, end);
    return bits < 0 ? null : ipv4(bits);
  }

  /** The 32 bits of a dotted quad, or -1. */
  private static long parseIpv4(String text, int start, int end) {
    long bits = 0;
    int octets = 0;
    int i = start;
    while (i <= end) {
      int value = 0;
      int digits = 0;
      while (i < end && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        if (digits > 0 && value == 0) {
          // A leading zero: some parsers read it as octal, so it is refused.
          return -1;
        }
        value = value * 10 + (text.charAt(i) - '0');
        digits++;
        i++;
        if (value > 255) {
          return -1;
        }
      }
      if (digits == 0) {
        return -1;
      }
      bits = (bits << 8) | value;
      octets++;
      if (i == end) {
        break;
      }
      if (text.charAt(i) != '.' || octets == 4) {
        return -1;
      }
      i++;
    }
    return octets == 4 ? bits : -1;
  }

  private static @Nullable IpAddress parseIpv6(String text, int start, int end) {
    int[] groups = new int[8];
    int count = 0;
    int gap = -1;
    int i = start;
    if (text.startsWith("::", i)) {
      gap = 0;
      i += 2;
      if (i == end) {
        return ipv6(0, 0);
      }
    } else if (text.charAt(i) == ':') {
      return null;
    }
    while (i < end) {
      if (count == 8) {
        return null;
      }
      int groupEnd = i;
      int value = 0;
      while (groupEnd < end && groupEnd - i < 5 && hexValue(text.charAt(groupEnd)) >= 0) {
        value = (value << 4) | hexValue(text.charAt(groupEnd));
        groupEnd++;
      }
      if (groupEnd < end && text.charAt(groupEnd) == '.') {
        // The last 32 bits as a dotted quad.
        if (count > 6) {
          return null;
        }
        long bits = parseIpv4(text, i, end);
        if (bits < 0) {
          return null;
        }
        groups[count++] = (int) (bits >>> 16);
        groups[count++] = (int) (bits & 0xffff);
        i = end;
        break;
      }
      int digits = groupEnd - i;
      if (digits == 0 || digits > 4) {
        return null;
      }
      groups[count++] = value;
      i = groupEnd;
      if (i == end) {
        break;
      }
      if (text.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < end && text.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = count;
        i++;
        if (i == end) {
          break;
        }
      } else if (i == end) {
        // A trailing single colon.
        return null;
      }
    }
    if (gap < 0 ? count != 8 : count > 7) {
      return null;
    }
    int[] full = new int[8];
    if (gap < 0) {
      full = groups;
    } else {
      int tail = count - gap;
      System.arraycopy(groups, 0, full, 0, gap);
      System.arraycopy(groups, gap, full, 8 - tail, tail);
    }
    long high = 0;
    long low = 0;
    for (int g = 0; g < 4; g++) {
      high = (high << 16) | full[g];
      low = (low << 16) | full[g + 4];
    }
    return ipv6(high, low);
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Whether {@code text[from, end)} is {@code :} at {@code colon} followed by 1 to 5 digits. */
  private static boolean isPort(String text, int from, int end, int colon) {
    if (colon >= end || text.charAt(colon) != ':' || from >= end || end - from > 5) {
      return false;
    }
    for (int i = from; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }
}
