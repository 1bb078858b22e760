package io.portico.router.memcached;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * One connection to the server, on one event loop: commands are written as they come (pipelined,
 * before the connection is even up) and their answers read in the same order. Anything that breaks
 * the order (a timeout, an answer that does not read, the connection closing) fails every command
 * waiting on it and closes it: the next command goes on another connection.
 */
final class MemcachedConnection {

  /** A command waiting for its answer; its timer runs from when it is written on the socket. */
  private static final class Waiting<T> {
    final Reply<T> reply;
    final Promise<T> promise;
    long timer = -1;

    Waiting(Reply<T> reply, Promise<T> promise) {
      this.reply = reply;
      this.promise = promise;
    }

    void complete() {
      promise.complete(reply.value());
    }
  }

  private final MemcachedClient client;
  private final Vertx vertx;
  private final MemcachedServer server;
  private final ArrayDeque<Waiting<?>> waiting = new ArrayDeque<>();
  private @Nullable NetSocket socket;
  // What was written before the connection was up.
  private @Nullable Buffer unsent = Buffer.buffer();
  private Buffer received = Buffer.buffer();
  private boolean closed;

  MemcachedConnection(MemcachedClient client, Vertx vertx, NetClient net, MemcachedServer server) {
    this.client = client;
    this.vertx = vertx;
    this.server = server;
    net.connect(server.port(), server.host())
        .onComplete(
            done -> {
              if (done.failed()) {
                fail("cannot connect: " + done.cause().getMessage());
                return;
              }
              connected(done.result());
            });
  }

  private void connected(NetSocket connected) {
    if (closed) {
      connected.close();
      return;
    }
    socket = connected;
    connected.handler(this::received);
    connected.closeHandler(v -> fail("connection closed"));
    connected.exceptionHandler(e -> fail("connection failed: " + e.getMessage()));
    Buffer pendingWrites = unsent;
    unsent = null;
    if (pendingWrites != null && pendingWrites.length() > 0) {
      connected.write(pendingWrites);
    }
    for (Waiting<?> each : waiting) {
      each.timer = startTimer();
    }
  }

  // As nginx's socket timeout: the connection has the connect timeout, then each answer its own.
  private long startTimer() {
    return vertx.setTimer(
        server.timeout().toMillis(),
        id -> fail("no answer within " + server.timeout().toMillis() + " ms"));
  }

  /** Commands written and not answered yet. */
  int waiting() {
    return waiting.size();
  }

  boolean closed() {
    return closed;
  }

  /** Writes one command; its answer completes {@code promise}, or a failure does. */
  <T> void send(Buffer command, Reply<T> reply, Promise<T> promise) {
    if (closed) {
      promise.fail(new MemcachedException(server + ": connection closed"));
      return;
    }
    Waiting<T> entry = new Waiting<>(reply, promise);
    waiting.add(entry);
    NetSocket up = socket;
    if (up != null) {
      entry.timer = startTimer();
      up.write(command);
    } else if (unsent != null) {
      unsent.appendBuffer(command);
    }
  }

  private void received(Buffer bytes) {
    received.appendBuffer(bytes);
    int at = 0;
    try {
      while (!waiting.isEmpty()) {
        Waiting<?> head = waiting.peek();
        int end = head.reply.read(received, at);
        if (end < 0) {
          break;
        }
        waiting.poll();
        vertx.cancelTimer(head.timer);
        at = end;
        head.complete();
      }
    } catch (MemcachedException e) {
      fail(String.valueOf(e.getMessage()));
      return;
    }
    if (waiting.isEmpty() && at < received.length()) {
      fail("answer to no command");
      return;
    }
    received =
        at == received.length() ? Buffer.buffer() : received.getBuffer(at, received.length());
  }

  /** Fails every waiting command with {@code why} and closes the connection; once. */
  private void fail(String why) {
    if (closed) {
      return;
    }
    closed = true;
    client.closed(this);
    NetSocket up = socket;
    if (up != null) {
      up.close();
    }
    MemcachedException failure = new MemcachedException(server + ": " + why);
    Waiting<?> each;
    while ((each = waiting.poll()) != null) {
      if (each.timer >= 0) {
        vertx.cancelTimer(each.timer);
      }
      each.promise.tryFail(failure);
    }
  }

  /** Closes the connection, failing what still waits. */
  void close() {
    fail("client closed");
  }
}
