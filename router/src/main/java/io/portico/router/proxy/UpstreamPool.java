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
import org.jspecify.annotations.Nullable;

/**
 * The keep-alive connections of one event loop to its backends, for the plain HTTP/1.1 exchanges
 * that bypass Vert.x's client (see {@link PooledAttempt}). Everything here runs on that one event
 * loop, so the pool has no locks, no futures handed to callers and no hand-offs between threads: a
 * request takes the most recently used idle connection to its endpoint, or opens one on the same
 * loop.
 *
 * <p>As with Vert.x's pool, {@code maxPerEndpoint} bounds the connections open to one endpoint from
 * one event loop; requests beyond it wait, in order, for one to come back or to close. The wait is
 * bounded twice: at most {@code maxWaiters} requests wait per endpoint (more fail at once), and
 * none waits longer than the connect timeout; both fail with {@link UpstreamBusyException} (503, or
 * a retry elsewhere). Without those bounds, a backend that stops answering would let requests pile
 * up here without limit, each waiting longer than any timeout says. Idle connections older than the
 * keep-alive timeout are closed by a sweep, and a connection the backend closes while idle leaves
 * the pool at once.
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
  private final int maxWaiters;
  private final long waitNanos;
  private final long keepAliveNanos;
  private final Map<Endpoint, Slot> slots = new HashMap<>();
  // Every open connection, idle or busy, so that close() can end them all.
  private final Set<UpstreamConnection> open = new HashSet<>();
  private final ScheduledFuture<?> sweep;
  private boolean closed;

  /** A request waiting for a connection, and when it stops waiting. */
  private record Waiting(Waiter waiter, long deadline) {}

  /** One endpoint: its address, its idle connections (most recently used first) and waiters. */
  private static final class Slot {
    final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    final ArrayDeque<Waiting> waiters = new ArrayDeque<>();
    final InetSocketAddress address;
    // Connections open or being opened.
    int open;
    // Fails the waiters whose deadline passed; scheduled only while some wait.
    @Nullable ScheduledFuture<?> expiry;

    Slot(InetSocketAddress address) {
      this.address = address;
    }

    /** The next waiter, or {@code null}. */
    @Nullable Waiter nextWaiter() {
      Waiting next = waiters.pollFirst();
      return next == null ? null : next.waiter();
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

  /**
   * @param connectTimeoutMillis the time to connect, and the longest a request waits for a
   *     connection when {@code maxPerEndpoint} are busy
   * @param maxWaiters the most requests waiting per endpoint
   */
  UpstreamPool(
      EventLoop loop,
      ChannelFactory<? extends Channel> channels,
      int connectTimeoutMillis,
      int maxPerEndpoint,
      int maxWaiters,
      long keepAliveSeconds,
      int maxHeaderSize) {
    this.loop = loop;
    this.maxPerEndpoint = maxPerEndpoint;
    this.maxWaiters = maxWaiters;
    this.waitNanos = TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis);
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
      if (slot.waiters.size() >= maxWaiters) {
        waiter.connectFailed(new UpstreamBusyException("the wait queue for a connection is full"));
        return;
      }
      slot.waiters.addLast(new Waiting(waiter, System.nanoTime() + waitNanos));
      if (slot.expiry == null) {
        slot.expiry = loop.schedule(() -> expire(slot), waitNanos, TimeUnit.NANOSECONDS);
      }
      return;
    }
    connect(endpoint, slot, waiter);
  }

  /**
   * Takes {@code waiter} out of the queue for {@code endpoint}: it wants no connection any more.
   */
  void cancel(Endpoint endpoint, Waiter waiter) {
    Slot slot = slots.get(endpoint);
    if (slot != null) {
      slot.waiters.removeIf(waiting -> waiting.waiter() == waiter);
    }
  }

  /** Fails the waiters of {@code slot} that waited as long as the connect timeout. */
  private void expire(Slot slot) {
    slot.expiry = null;
    long now = System.nanoTime();
    Waiting head;
    while ((head = slot.waiters.peekFirst()) != null && now - head.deadline() >= 0) {
      slot.waiters.pollFirst();
      head.waiter()
          .connectFailed(
              new UpstreamBusyException("no connection came free within the connect timeout"));
    }
    if (head != null && !closed) {
      slot.expiry = loop.schedule(() -> expire(slot), head.deadline() - now, TimeUnit.NANOSECONDS);
    }
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
    Waiter next = slot.nextWaiter();
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
    Waiter next = slot.nextWaiter();
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
      if (slot.expiry != null) {
        slot.expiry.cancel(false);
        slot.expiry = null;
      }
      Waiter waiter;
      while ((waiter = slot.nextWaiter()) != null) {
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
