package io.portico.router.proxy;

import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which addresses an ExternalName Service may send Portico to. A tenant who can write a Service can
 * name any host; the name is resolved when Portico connects, and the address it resolves to must
 * not be one that only Portico's own position can reach:
 *
 * <ul>
 *   <li>loopback ({@code 127.0.0.0/8}, {@code ::1}): Portico's own listeners and admin port, and
 *       whatever else listens on the pod or node;
 *   <li>unspecified ({@code 0.0.0.0/8}, {@code ::}), which the kernel takes as this host;
 *   <li>link-local ({@code 169.254.0.0/16}, {@code fe80::/10}): the cloud metadata service at
 *       {@code 169.254.169.254} hands out the node's credentials;
 *   <li>multicast and broadcast, and the metadata addresses outside link-local ({@code
 *       fd00:ec2::254}, {@code 100.100.100.200});
 *   <li>the addresses of Portico's own interfaces (its pod IP, or the node's under host
 *       networking).
 * </ul>
 *
 * <p>IPv4 addresses written as IPv6 ({@code ::ffff:127.0.0.1}) are judged as the IPv4 address.
 * Private ranges stay allowed: reaching services inside the network is what ExternalName is for.
 * Immutable apart from its warning memo, and safe to share between event loops.
 */
final class UpstreamAddressGuard {

  /** A connection refused by the guard (502). */
  static final class RefusedException extends IOException {
    RefusedException(String reason) {
      super("refused: the address is " + reason);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamAddressGuard.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final int WARN_MEMO_SIZE = 1024;
  private static final Set<InetAddress> METADATA =
      Set.of(address("fd00:ec2::254"), address("100.100.100.200"));

  private final Set<InetAddress> own;
  // When each refused endpoint was last warned about, so a flood of requests logs once a minute.
  private final Map<String, Long> warned = new ConcurrentHashMap<>();

  /**
   * @param own the addresses of this host's interfaces, refused as well
   */
  UpstreamAddressGuard(Set<InetAddress> own) {
    this.own = Set.copyOf(own);
  }

  /**
   * A guard for this host: its interfaces' addresses, and the listeners' bind address when it names
   * one. Reads the interfaces, which may block: call it off the event loops.
   */
  static UpstreamAddressGuard ofThisHost(String bindHost) {
    Set<InetAddress> addresses = new HashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          addresses.add(plain(address));
        }
      }
    } catch (SocketException | RuntimeException e) {
      LOG.warn("event=interfaces_unreadable cause={}", e.toString());
    }
    if (io.netty.util.NetUtil.isValidIpV4Address(bindHost)
        || io.netty.util.NetUtil.isValidIpV6Address(bindHost)) {
      addresses.add(plain(address(bindHost)));
    }
    return new UpstreamAddressGuard(addresses);
  }

  /** Why {@code address} is refused, for logs ({@code loopback}, ...); {@code null} if allowed. */
  @Nullable String refusal(InetAddress address) {
    InetAddress ip = plain(address);
    if (ip.isLoopbackAddress()) {
      return "loopback";
    }
    if (ip.isAnyLocalAddress() || (ip instanceof Inet4Address && ip.getAddress()[0] == 0)) {
      return "unspecified";
    }
    if (ip.isLinkLocalAddress()) {
      return "link-local";
    }
    if (ip.isMulticastAddress() || isBroadcast(ip)) {
      return "multicast";
    }
    if (METADATA.contains(ip)) {
      return "cloud-metadata";
    }
    if (own.contains(ip)) {
      return "portico-own";
    }
    return null;
  }

  /** Logs a refusal as a warning naming the Service, at most once a minute per endpoint. */
  void warn(BackendId service, Endpoint endpoint, InetAddress address, String reason) {
    String key = service + " " + endpoint;
    long now = System.nanoTime();
    Long last = warned.get(key);
    if (last != null && now - last < WARN_EVERY_NANOS) {
      return;
    }
    if (warned.size() >= WARN_MEMO_SIZE) {
      warned.clear();
    }
    warned.put(key, now);
    LOG.warn(
        "event=upstream_refused service={}/{} port={} name={} address={} reason={}"
            + " detail=\"an ExternalName Service may not send Portico to this address\"",
        service.namespace(),
        service.service(),
        service.port(),
        endpoint.host(),
        address.getHostAddress(),
        reason);
  }

  /** An IPv4 address written as IPv6 (mapped or compatible) as the IPv4 address it is. */
  private static InetAddress plain(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] bytes = address.getAddress();
      boolean zeros = true;
      for (int i = 0; i < 10 && zeros; i++) {
        zeros = bytes[i] == 0;
      }
      boolean mapped = zeros && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
      boolean compatible = zeros && bytes[10] == 0 && bytes[11] == 0 && !allZero(bytes, 12);
      if (mapped || (compatible && !address.isLoopbackAddress())) {
        try {
          return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return address;
  }

  private static boolean allZero(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isBroadcast(InetAddress address) {
    if (!(address instanceof Inet4Address)) {
      return false;
    }
    for (byte b : address.getAddress()) {
      if (b != (byte) 0xff) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress address(String literal) {
    return io.netty.util.NetUtil.createInetAddressFromIpAddressString(literal);
  }
}
