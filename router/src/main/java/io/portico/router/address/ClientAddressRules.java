package io.portico.router.address;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How the client's address is decided, from ingress-nginx's ConfigMap keys {@code
 * use-forwarded-headers}, {@code enable-real-ip}, {@code forwarded-for-header}, {@code
 * proxy-real-ip-cidr} and {@code compute-full-forwarded-for}.
 *
 * <p>By default ({@link #PEER_ONLY}) the client is the TCP peer (or the source of a PROXY protocol
 * header), and no header a client sends changes that. A forwarding header is read only when its
 * source says so <em>and</em> the peer is in {@code trustedProxies}, which is empty unless
 * configured: unlike ingress-nginx, whose {@code proxy-real-ip-cidr} defaults to {@code 0.0.0.0/0},
 * Portico trusts no one by default, so an untrusted client can never choose the address that access
 * lists, rate limits and logs see.
 *
 * <p>From a trusted peer, the header is read as nginx's {@code real_ip_recursive on} reads it: from
 * the last element back, skipping trusted proxies; the first untrusted address is the client's. If
 * every element is trusted, the first is. An element that is not an address makes the peer the
 * client: a garbled header changes nothing.
 *
 * @param source which headers a trusted peer may set
 * @param header the header naming the client, {@code X-Forwarded-For} unless configured
 * @param trustedProxies the peers whose headers are read; empty trusts none
 * @param computeFullForwardedFor with {@link Source#FORWARDED_HEADERS}, the {@code X-Forwarded-For}
 *     sent upstream is the trusted peer's list with the peer appended, instead of the client alone
 */
public record ClientAddressRules(
    Source source, String header, CidrSet trustedProxies, boolean computeFullForwardedFor) {

  /** Which forwarding headers a trusted peer may set. */
  public enum Source {
    /**
     * None: the client is the peer ({@code use-forwarded-headers} and {@code enable-real-ip} off).
     */
    PEER,
    /** The client's address, from {@link #header} ({@code enable-real-ip}). */
    REAL_IP_HEADER,
    /**
     * The client's address, and the scheme, host and port it asked for from {@code
     * X-Forwarded-Proto}, {@code -Host} and {@code -Port} ({@code use-forwarded-headers}).
     */
    FORWARDED_HEADERS
  }

  // Before PEER_ONLY, whose construction checks its header with it.
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

  /** The default header naming the client. */
  public static final String X_FORWARDED_FOR = "X-Forwarded-For";

  /** The client is the peer; no header is read. */
  public static final ClientAddressRules PEER_ONLY =
      new ClientAddressRules(Source.PEER, X_FORWARDED_FOR, CidrSet.EMPTY, false);

  public ClientAddressRules {
    requireNonNull(source, "source");
    requireNonNull(header, "header");
    requireNonNull(trustedProxies, "trustedProxies");
    if (!HEADER_NAME.matcher(header).matches()) {
      throw new IllegalArgumentException("header: \"" + header + "\" (expected: a header name)");
    }
    header = header.toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the headers of a request from {@code peer} are read: its source reads some, and it is
   * trusted.
   */
  public boolean trusts(IpAddress peer) {
    return source != Source.PEER && trustedProxies.contains(peer);
  }

  /**
   * Whether the source address of a PROXY protocol header from {@code balancer} (the TCP peer) is
   * the connection's peer: only when {@code trustedProxies} holds it, whatever the source of
   * headers, as nginx's {@code real_ip_header proxy_protocol} with {@code set_real_ip_from}.
   */
  public boolean trustsProxyProtocolFrom(IpAddress balancer) {
    return trustedProxies.contains(balancer);
  }

  /** Whether a trusted peer's {@code X-Forwarded-Proto}, {@code -Host} and {@code -Port} count. */
  public boolean trustsForwardedRequest() {
    return source == Source.FORWARDED_HEADERS;
  }

  /**
   * The client behind a trusted peer.
   *
   * @param peer the peer, for which {@link #trusts} holds
   * @param lines the values of {@link #header}, in order (a header sent twice is one list)
   */
  public IpAddress clientBehind(IpAddress peer, List<String> lines) {
    requireNonNull(peer, "peer");
    IpAddress client = peer;
    for (int line = lines.size() - 1; line >= 0; line--) {
      String value = lines.get(line);
      int end = value.length();
      while (end >= 0) {
        int comma = value.lastIndexOf(',', end - 1);
        String element = value.substring(comma + 1, end);
        end = comma;
        if (element.isBlank()) {
          continue;
        }
        IpAddress parsed = IpAddress.parseForwarded(element).orElse(null);
        if (parsed == null) {
          return peer;
        }
        client = parsed;
        if (!trustedProxies.contains(parsed)) {
          return parsed;
        }
        if (comma < 0) {
          break;
        }
      }
    }
    return client;
  }
}
