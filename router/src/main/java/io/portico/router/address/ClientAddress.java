package io.portico.router.address;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The client of one request as Portico decides it: the TCP peer (or the source a PROXY protocol
 * header names), or, when that peer is a trusted proxy, the address it forwards (see {@link
 * ClientAddressRules}). Access decisions, rate limits, logs and the forwarded headers all read this
 * one value.
 *
 * @param ip the address, or {@code null} when the connection has none (not an IP connection)
 * @param text the address as text ({@link IpAddress#toString()}), or {@code null} with {@code ip}
 * @param viaTrustedProxy whether the peer is a trusted proxy whose forwarding headers were read
 */
public record ClientAddress(
    @Nullable IpAddress ip, @Nullable String text, boolean viaTrustedProxy) {

  /** A request whose connection has no IP address. */
  public static final ClientAddress UNKNOWN = new ClientAddress(null, null, false);

  public ClientAddress {
    if ((ip == null) != (text == null)) {
      throw new IllegalArgumentException(
          "ip: " + ip + ", text: " + text + " (expected: both or neither)");
    }
  }

  /** The client {@code ip}, reached directly or through an untrusted peer. */
  public static ClientAddress direct(IpAddress ip) {
    requireNonNull(ip, "ip");
    return new ClientAddress(ip, ip.toString(), false);
  }

  /** The client {@code ip}, as a trusted proxy forwarded it. */
  public static ClientAddress forwarded(IpAddress ip) {
    requireNonNull(ip, "ip");
    return new ClientAddress(ip, ip.toString(), true);
  }
}
