package io.portico.controller.testing;

import static io.portico.router.testing.TestVertx.await;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on 127.0.0.1 in front of a server, to cut a client off and let it back in: {@link
 * #cut()} closes every connection and stops accepting; {@link #restore()} accepts again on the same
 * port.
 */
public final class TcpRelay {

  private final Vertx vertx;
  // One client for every relayed connection, held here: Vert.x 5 closes a client the garbage
  // collector finds unreachable, and with it every connection it made.
  private final NetClient client;
  private final int targetPort;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private int port;

  public TcpRelay(Vertx vertx, int targetPort) throws Exception {
    this.vertx = vertx;
    this.client = vertx.createNetClient();
    this.targetPort = targetPort;
    listen(0);
  }

  public int port() {
    return port;
  }

  private void listen(int wanted) throws Exception {
    server =
        vertx
            .createNetServer()
            .connectHandler(
                front -> {
                  front.pause();
                  sockets.add(front);
                  client
                      .connect(targetPort, "127.0.0.1")
                      .onSuccess(
                          back -> {
                            sockets.add(back);
                            front.pipeTo(back);
                            back.pipeTo(front);
                            front.resume();
                          })
                      .onFailure(error -> front.close());
                });
    port = await(server.listen(wanted, "127.0.0.1")).actualPort();
  }

  /** Drops every connection and refuses new ones. */
  public void cut() throws Exception {
    await(server.close());
    for (NetSocket socket : sockets) {
      socket.close();
    }
    sockets.clear();
  }

  /** Accepts connections again, on the same port. */
  public void restore() throws Exception {
    listen(port);
  }
}
