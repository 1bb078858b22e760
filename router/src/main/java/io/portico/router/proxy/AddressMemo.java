package io.portico.router.proxy;

import io.portico.router.address.ClientAddress;
import io.portico.router.address.IpAddress;
import io.portico.router.route.Endpoint;
import io.vertx.core.net.SocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the addresses the proxy derives for every request from objects that outlive it: the
 * upstream {@link SocketAddress} of an {@link Endpoint} (which lives as long as its configuration
 * generation) and the parsed address of a client connection's peer (which lives as long as the
 * connection). Building them anew costs a validation of the IP literal, a parse of the peer's
 * address and a few objects per request.
 *
 * <p>Each memo is a small direct-mapped table keyed by object identity: a lookup is one array read
 * and a reference comparison, a miss overwrites its slot, and the table never grows, so objects of
 * past generations or closed connections only stay reachable until their slot is reused. It is
 * owned by one event loop (one per {@link ListenerContext}) and not thread-safe.
 */
final class AddressMemo {

  private static final int SLOTS = 256;
  private static final int MASK = SLOTS - 1;

  private final Endpoint[] endpoints = new Endpoint[SLOTS];
  private final SocketAddress[] upstreams = new SocketAddress[SLOTS];
  private final SocketAddress[] clients = new SocketAddress[SLOTS];
  private final ClientAddress[] peers = new ClientAddress[SLOTS];

  /** The address to connect to for {@code endpoint}. */
  SocketAddress upstream(Endpoint endpoint) {
    int slot = System.identityHashCode(endpoint) & MASK;
    if (endpoints[slot] == endpoint) {
      return upstreams[slot];
    }
    SocketAddress address = SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host());
    endpoints[slot] = endpoint;
    upstreams[slot] = address;
    return address;
  }

  /**
   * The connection's peer as a client address, {@link ClientAddress#UNKNOWN} when it has no IP
   * address (not an IP connection).
   */
  ClientAddress peer(@Nullable SocketAddress remote) {
    if (remote == null) {
      return ClientAddress.UNKNOWN;
    }
    int slot = System.identityHashCode(remote) & MASK;
    if (clients[slot] == remote) {
      return peers[slot];
    }
    String host = remote.hostAddress();
    ClientAddress peer =
        host == null
            ? ClientAddress.UNKNOWN
            : IpAddress.parsePeer(host).map(ClientAddress::direct).orElse(ClientAddress.UNKNOWN);
    clients[slot] = remote;
    peers[slot] = peer;
    return peer;
  }
}
