package io.portico.router.memcached;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The commands a shared counter needs, spoken to one memcached server in its text protocol, from
 * one event loop: every method must be called on the client's event loop, returns at once, and
 * completes its future there. At most {@link MemcachedServer#poolSize()} connections are open; a
 * command goes on an idle one, else on a new one while the pool has room, else on the connection
 * with the fewest commands waiting. As with nginx's socket timeout, connecting may take {@link
 * MemcachedServer#timeout()}, and each command fails when its answer has not come that long after
 * it was written; a connection idle for {@link MemcachedServer#maxIdle()} is closed.
 */
public final class MemcachedClient {

  /** The most commands waiting on one connection; more fail at once instead of queueing. */
  static final int MAX_WAITING_PER_CONNECTION = 256;

  /** memcached's key syntax: 1 to 250 bytes, no space or control character. */
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,250}");

  private final Vertx vertx;
  private final ContextInternal context;
  private final MemcachedServer server;
  private final NetClient net;
  private final List<MemcachedConnection> connections = new ArrayList<>();
  private boolean closed;

  /** A client for {@code server}, on the event loop of the calling thread's context. */
  public MemcachedClient(Vertx vertx, MemcachedServer server) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.server = requireNonNull(server, "server");
    // A request's context is duplicated from its event loop's: the client keeps the event loop's.
    this.context =
        ((ContextInternal) requireNonNull(Vertx.currentContext(), "Vertx.currentContext()"))
            .unwrap();
    NetClientOptions options =
        new NetClientOptions()
            .setConnectTimeout((int) Math.max(1, server.timeout().toMillis()))
            .setTcpNoDelay(true);
    if (!server.maxIdle().isZero()) {
      options
          .setIdleTimeout((int) server.maxIdle().toMillis())
          .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    }
    this.net = vertx.createNetClient(options);
  }

  public MemcachedServer server() {
    return server;
  }

  /** The values of those of {@code keys} the server has, by key (one round trip). */
  public Future<Map<String, String>> get(List<String> keys) {
    StringBuilder command = new StringBuilder("get");
    for (String key : keys) {
      command.append(' ').append(checked(key));
    }
    return send(command.append("\r\n").toString(), new Reply.Get());
  }

  /** Adds {@code delta} to the number at {@code key}: its new value, or empty when it has none. */
  public Future<OptionalLong> incr(String key, long delta) {
    return send("incr " + checked(key) + " " + delta + "\r\n", new Reply.Incr());
  }

  /**
   * Stores {@code value} at {@code key} for {@code expirySeconds} (at most 30 days, memcached's
   * bound for a relative expiry) unless the key has a value: whether it stored it.
   */
  public Future<Boolean> add(String key, String value, int expirySeconds) {
    if (expirySeconds < 0 || expirySeconds > 30 * 24 * 3600) {
      throw new IllegalArgumentException(
          "expirySeconds: " + expirySeconds + " (expected: 0 to 2592000)");
    }
    return send(
        "add "
            + checked(key)
            + " 0 "
            + expirySeconds
            + " "
            + value.length()
            + "\r\n"
            + value
            + "\r\n",
        new Reply.Add());
  }

  /**
   * Counts one more at {@code key}: the count after it. A key without a value starts at 1 and
   * expires {@code expirySeconds} later; when another client adds it first, this one increments
   * theirs.
   */
  public Future<Long> increment(String key, int expirySeconds) {
    return incr(key, 1)
        .compose(
            after -> {
              if (after.isPresent()) {
                return Future.succeededFuture(after.getAsLong());
              }
              return add(key, "1", expirySeconds)
                  .compose(
                      stored ->
                          stored
                              ? Future.succeededFuture(1L)
                              : incr(key, 1)
                                  .compose(
                                      again ->
                                          again.isPresent()
                                              ? Future.succeededFuture(again.getAsLong())
                                              : Future.failedFuture(
                                                  new MemcachedException(
                                                      server
                                                          + ": incr: the key vanished as it was"
                                                          + " added"))));
            });
  }

  /** Closes every connection; later commands fail. */
  public void close() {
    closed = true;
    for (MemcachedConnection connection : List.copyOf(connections)) {
      connection.close();
    }
    net.close();
  }

  /** Connections open or opening now, for tests. */
  int connections() {
    return connections.size();
  }

  void closed(MemcachedConnection connection) {
    connections.remove(connection);
  }

  private <T> Future<T> send(String command, Reply<T> reply) {
    if (!context.nettyEventLoop().inEventLoop()) {
      throw new IllegalStateException("memcached client: called off its event loop");
    }
    Promise<T> promise = Promise.promise();
    if (closed) {
      promise.fail(new MemcachedException(server + ": client closed"));
      return promise.future();
    }
    MemcachedConnection connection = pick();
    if (connection == null) {
      promise.fail(
          new MemcachedException(
              server
                  + ": "
                  + connections.size()
                  + " connections, each with "
                  + MAX_WAITING_PER_CONNECTION
                  + " commands waiting"));
      return promise.future();
    }
    connection.send(Buffer.buffer(command), reply, promise);
    return promise.future();
  }

  /** An idle connection, else a new one while there is room, else the least busy; or none. */
  private @Nullable MemcachedConnection pick() {
    MemcachedConnection best = null;
    for (MemcachedConnection connection : connections) {
      if (best == null || connection.waiting() < best.waiting()) {
        best = connection;
      }
    }
    if ((best == null || best.waiting() > 0) && connections.size() < server.poolSize()) {
      MemcachedConnection opened = new MemcachedConnection(this, vertx, net, server);
      if (!opened.closed()) {
        connections.add(opened);
      }
      return opened;
    }
    return best == null || best.waiting() >= MAX_WAITING_PER_CONNECTION ? null : best;
  }

  private static String checked(String key) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "key: \"" + key + "\" (expected: 1 to 250 printable ASCII characters, no space)");
    }
    return key;
  }
}
