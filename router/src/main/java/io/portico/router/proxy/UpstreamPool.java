package io.portico.router.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.portico.router.route.Endpoint;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive connections of one event loop to its backends, for the plain HTTP/1.1 exchanges
 * that bypass Vert.x's client (see {@link PooledAttempt}). Everything here runs on that one event
 * loop, so the pool has no locks, no futures handed to callers and no hand-offs between threads: a
 * request takes the most recently used idle connection to its endpoint, or opens one on the same
 * loop.
 *
 * <p>As with Vert.x's pool, {@code maxPerEndpoint} bounds the connections open to one endpoint from
 * one event loop; requests beyond it wait, in order, for one to come back or to close. Idle
 * connections older than the keep-alive timeout are closed by a sweep, and a connection the backend
 * closes while idle leaves the pool at once.
 */
final class UpstreamPool {

  /** Told the outcome of {@link #acquire}; called on the pool's event loop. */
  interface Waiter {
    void acquired(UpstreamConnection connection);

    void connectFailed(Throwable cause);
  }

  private static final long SWEEP_SECONDS = 5;

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final int maxPerEndpoint;
  private final long keepAliveNanos;
  private final Map<Endpoint, Slot> slots = new HashMap<>();
  // Every open connection, idle or busy, so that close() can end them all.
  private final Set<UpstreamConnection> open = new HashSet<>();
  private final ScheduledFuture<?> sweep;
  private boolean closed;

  /** One endpoint: its address, its idle connections (most recently used first) and waiters. */
  private static final class Slot {
    final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    final InetSocketAddress address;
    // Connections open or being opened.
    int open;

    Slot(InetSocketAddress address) {
      this.address = address;
    }
  }

  /**
   * Whether this pool connects to {@code endpoint}: an IP address, as every endpoint of an
   * EndpointSlice is. A DNS name (an ExternalName Service) stays with Vert.x's client, whose
   * resolver does not block the event loop; here it would be resolved by a blocking call.
   */
  boolean serves(Endpoint endpoint) {
    return !slot(endpoint).address.isUnresolved();
  }

  UpstreamPool(
      EventLoop loop,
      ChannelFactory<? extends Channel> channels,
      int connectTimeoutMillis,
      int maxPerEndpoint,
      long keepAliveSeconds,
      int maxHeaderSize) {
    this.loop = loop;
    this.maxPerEndpoint = maxPerEndpoint;
    this.keepAliveNanos = TimeUnit.SECONDS.toNanos(keepAliveSeconds);
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channelFactory(channels)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channel
                        .pipeline()
                        // Response headers validated, as Vert.x's client does: a name or value
                        // the client could not be sent fails the exchange here (502).
                        .addLast(
                            "codec", new HttpClientCodec(4096, maxHeaderSize, 8192, false, true))
                        .addLast("portico", new UpstreamConnection(UpstreamPool.this, channel));
                  }
                });
    this.sweep =
        loop.scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
  }

  EventLoop loop() {
    return loop;
  }

  /**
   * Hands {@code waiter} a connection to {@code endpoint}: an idle one, a new one, or, at the
   * bound, the next one that comes back.
   */
  void acquire(Endpoint endpoint, Waiter waiter) {
    if (closed) {
      waiter.connectFailed(new IllegalStateException("upstream pool closed"));
      return;
    }
    Slot slot = slot(endpoint);
    UpstreamConnection connection;
    while ((connection = slot.idle.pollFirst()) != null) {
      if (connection.isUsable()) {
        waiter.acquired(connection);
        return;
      }
      // Its close counts it out (see closed).
      connection.close();
    }
    if (slot.open >= maxPerEndpoint) {
      slot.waiters.addLast(waiter);
      return;
    }
    connect(endpoint, slot, waiter);
  }

  private void connect(Endpoint endpoint, Slot slot, Waiter waiter) {
    slot.open++;
    ChannelFuture connecting = bootstrap.connect(slot.address);
    connecting.addListener(
        done -> {
          if (!done.isSuccess()) {
            // Never active, so never reported by closed().
            slot.open--;
            waiter.connectFailed(done.cause());
            return;
          }
          UpstreamConnection fresh = connecting.channel().pipeline().get(UpstreamConnection.class);
          fresh.endpoint(endpoint);
          open.add(fresh);
          waiter.acquired(fresh);
        });
  }

  /** Takes back a connection whose exchange completed and which can carry another one. */
  void release(UpstreamConnection connection) {
    if (closed) {
      connection.close();
      return;
    }
    Slot slot = slot(connection.endpoint());
    Waiter next = slot.waiters.pollFirst();
    if (next != null) {
      next.acquired(connection);
      return;
    }
    connection.idleSince(System.nanoTime());
    slot.idle.addFirst(connection);
  }

  /** A connection closed: it no longer counts, and a request waiting for one may open another. */
  void closed(UpstreamConnection connection) {
    Endpoint endpoint = connection.endpoint();
    if (!open.remove(connection) || endpoint == null) {
      return;
    }
    Slot slot = slots.get(endpoint);
    if (slot == null) {
      return;
    }
    slot.open--;
    slot.idle.remove(connection);
    Waiter next = slot.waiters.pollFirst();
    if (next != null) {
      if (closed) {
        next.connectFailed(new IllegalStateException("upstream pool closed"));
      } else {
        connect(endpoint, slot, next);
      }
    }
  }

  /** Closes every connection, idle or busy, fails the waiters and stops the sweep. */
  void close() {
    closed = true;
    sweep.cancel(false);
    for (UpstreamConnection connection : new ArrayList<>(open)) {
      connection.close();
    }
    for (Slot slot : slots.values()) {
      Waiter waiter;
      while ((waiter = slot.waiters.pollFirst()) != null) {
        waiter.connectFailed(new IllegalStateException("upstream pool closed"));
      }
    }
  }

  private Slot slot(Endpoint endpoint) {
    Slot slot = slots.get(endpoint);
    if (slot == null) {
      String host = endpoint.host();
      // An IP address is taken as it is; a name is left unresolved, and so not served (see serves).
      slot =
          new Slot(
              NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)
                  ? new InetSocketAddress(
                      NetUtil.createInetAddressFromIpAddressString(host), endpoint.port())
                  : InetSocketAddress.createUnresolved(host, endpoint.port()));
      slots.put(endpoint, slot);
    }
    return slot;
  }

  /**
   * Closes idle connections that outlived the keep-alive timeout, and forgets endpoints with
   * nothing open (those of past configurations).
   */
  private void sweep() {
    long now = System.nanoTime();
    Iterator<Slot> all = slots.values().iterator();
    while (all.hasNext()) {
      Slot slot = all.next();
      // Least recently used last: stop at the first one still young enough.
      UpstreamConnection oldest;
      while ((oldest = slot.idle.peekLast()) != null && now - oldest.idleSince() > keepAliveNanos) {
        slot.idle.pollLast();
        // Its close counts it out (see closed).
        oldest.close();
      }
      if (slot.open == 0 && slot.waiters.isEmpty()) {
        all.remove();
      }
    }
  }
}
