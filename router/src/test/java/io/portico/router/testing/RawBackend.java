package io.portico.router.testing;

import static io.portico.router.testing.TestVertx.await;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on 127.0.0.1 that speaks raw TCP, for answers no HTTP server would give (a connection
 * dropped at the second request, a response before the upload ends), and that counts the
 * connections it accepts.
 *
 * @param port where it listens
 * @param connections how many connections it has accepted so far
 */
public record RawBackend(int port, AtomicInteger connections) {

  /** Starts one; {@code onConnection} gets every accepted connection. */
  public static RawBackend start(Vertx vertx, Handler<NetSocket> onConnection) throws Exception {
    AtomicInteger connections = new AtomicInteger();
    int port =
        await(
                vertx
                    .createNetServer()
                    .connectHandler(
                        socket -> {
                          connections.incrementAndGet();
                          onConnection.handle(socket);
                        })
                    .listen(0, "127.0.0.1"))
            .actualPort();
    return new RawBackend(port, connections);
  }
}
