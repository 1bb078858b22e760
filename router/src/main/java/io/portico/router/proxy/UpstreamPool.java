package io.portico.router.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.concurrent.ScheduledFuture;
import io.portico.router.route.Endpoint;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive connections of one event loop to its backends, for the plain HTTP/1.1 exchanges
 * that bypass Vert.x's client (see {@link UpstreamExchange}). Everything here runs on that one
 * event loop, so the pool has no locks, no futures handed to callers and no hand-offs between
 * threads: a request takes the most recently used idle connection to its endpoint, or opens one on
 * the same loop.
 *
 * <p>Like nginx's {@code keepalive}, {@code maxIdlePerEndpoint} bounds the idle connections kept
 * per endpoint, not the connections in use: a burst opens as many as it needs, and what is beyond
 * the bound when they come back is closed. Idle connections older than the keep-alive timeout are
 * closed by a sweep, and a connection the backend closes while idle leaves the pool at once.
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
  private final int maxIdlePerEndpoint;
  private final long keepAliveNanos;
  private final Map<Endpoint, Idle> idle = new HashMap<>();
  // Every open connection, idle or busy, so that close() can end them all.
  private final Set<UpstreamConnection> open = new HashSet<>();
  private final ScheduledFuture<?> sweep;
  private final int maxHeaderSize;
  private boolean closed;

  /** The idle connections to one endpoint, most recently used first, and its address. */
  private static final class Idle {
    final ArrayDeque<UpstreamConnection> connections = new ArrayDeque<>();
    final InetSocketAddress address;

    Idle(InetSocketAddress address) {
      this.address = address;
    }
  }

  UpstreamPool(
      EventLoop loop,
      ChannelFactory<? extends Channel> channels,
      int connectTimeoutMillis,
      int maxIdlePerEndpoint,
      long keepAliveSeconds,
      int maxHeaderSize) {
    this.loop = loop;
    this.maxIdlePerEndpoint = maxIdlePerEndpoint;
    this.keepAliveNanos = TimeUnit.SECONDS.toNanos(keepAliveSeconds);
    this.maxHeaderSize = maxHeaderSize;
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
                        .addLast(
                            "codec",
                            new HttpClientCodec(
                                4096, UpstreamPool.this.maxHeaderSize, 8192, false, false))
                        .addLast("portico", new UpstreamConnection(UpstreamPool.this, channel));
                  }
                });
    this.sweep =
        loop.scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
  }

  EventLoop loop() {
    return loop;
  }

  /** Hands {@code waiter} a connection to {@code endpoint}: an idle one, or a new one. */
  void acquire(Endpoint endpoint, Waiter waiter) {
    Idle slot = slot(endpoint);
    UpstreamConnection connection;
    while ((connection = slot.connections.pollFirst()) != null) {
      if (connection.isUsable()) {
        waiter.acquired(connection);
        return;
      }
      connection.close();
    }
    if (closed) {
      waiter.connectFailed(new IllegalStateException("upstream pool closed"));
      return;
    }
    ChannelFuture connecting = bootstrap.connect(slot.address);
    connecting.addListener(
        done -> {
          if (!done.isSuccess()) {
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
    Idle slot = slot(connection.endpoint());
    if (slot.connections.size() >= maxIdlePerEndpoint) {
      connection.close();
      return;
    }
    connection.idleSince(System.nanoTime());
    slot.connections.addFirst(connection);
  }

  /** A connection closed: it is no longer open, and no longer idle if it was. */
  void closed(UpstreamConnection connection) {
    open.remove(connection);
    Endpoint endpoint = connection.endpoint();
    Idle slot = endpoint == null ? null : idle.get(endpoint);
    if (slot != null) {
      slot.connections.remove(connection);
    }
  }

  /** Closes every connection, idle or busy, and stops the sweep. */
  void close() {
    closed = true;
    sweep.cancel(false);
    List<UpstreamConnection> all = new ArrayList<>(open);
    for (UpstreamConnection connection : all) {
      connection.close();
    }
    idle.clear();
  }

  private Idle slot(Endpoint endpoint) {
    Idle slot = idle.get(endpoint);
    if (slot == null) {
      // Endpoints are IP addresses (Kubernetes endpoint slices), so this resolves nothing.
      slot = new Idle(new InetSocketAddress(endpoint.host(), endpoint.port()));
      idle.put(endpoint, slot);
    }
    return slot;
  }

  /** Closes idle connections that outlived the keep-alive timeout; drops empty endpoints. */
  private void sweep() {
    long now = System.nanoTime();
    Iterator<Idle> slots = idle.values().iterator();
    while (slots.hasNext()) {
      ArrayDeque<UpstreamConnection> connections = slots.next().connections;
      // Least recently used last: stop at the first one still young enough.
      UpstreamConnection oldest;
      while ((oldest = connections.peekLast()) != null
          && now - oldest.idleSince() > keepAliveNanos) {
        connections.pollLast();
        oldest.close();
      }
      if (connections.isEmpty()) {
        slots.remove();
      }
    }
  }
}
