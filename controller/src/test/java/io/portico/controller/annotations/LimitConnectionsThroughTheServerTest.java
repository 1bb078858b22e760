package io.portico.controller.annotations;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.testing.Manifests;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.TestVertx;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code limit-connections} from an Ingress in a manifest folder to answers of the real server, in
 * the spirit of ingress-nginx's e2e test (annotations/limitconnections): with a limit of 1, a
 * second request in flight from one address is 503 while a backend holds the first (until the test
 * lets it go, never on a timer), and passes once the first ended; another address, and another
 * Ingress, are not limited.
 */
class LimitConnectionsThroughTheServerTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private final BlockingQueue<HttpServerResponse> held = new LinkedBlockingQueue<>();
  private final List<Socket> sockets = new ArrayList<>();
  private Controller controller;

  @BeforeEach
  void start() throws Exception {
    int port =
        await(
                vertx
                    .vertx()
                    .createHttpServer()
                    .requestHandler(
                        request -> {
                          if (request.path().equals("/hold")) {
                            held.add(request.response());
                          } else {
                            request.response().end("ok");
                          }
                        })
                    .listen(0, "127.0.0.1"))
            .actualPort();
    String objects =
        Manifests.service("app-svc", port)
            + "---\n"
            + Manifests.annotatedIngress(
                "conn", "conn.test", "nginx.ingress.kubernetes.io/limit-connections: \"1\"")
            + "---\n"
            + Manifests.annotatedIngress("plain", "plain.test");
    Files.writeString(folder.resolve("objects.yaml"), objects);
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2))
                .admin("127.0.0.1", 0)
                .build());
    Await.until(
        "the first configuration",
        Duration.ofSeconds(10),
        () -> status(send("127.0.0.1", "conn.test", "/ok")) == 200);
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    controller.close();
  }

  /** Sends {@code GET path} to {@code host} from {@code from}, on a connection of its own. */
  private Socket send(String from, String host, String path) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", controller.httpPort()), 5000);
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  private static int status(Socket socket) throws IOException {
    String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertTrue(answer.startsWith("HTTP/1.1 "), "a response: " + answer);
    return Integer.parseInt(answer.substring(9, 12));
  }

  @Test
  void aSecondRequestInFlightFromOneAddressIs503UntilTheFirstEnds() throws Exception {
    Socket first = send("127.0.0.2", "conn.test", "/hold");
    Await.until("the backend to hold the first", Duration.ofSeconds(10), () -> held.size() == 1);

    assertEquals(503, status(send("127.0.0.2", "conn.test", "/ok")), "while the first is held");
    assertEquals(200, status(send("127.0.0.3", "conn.test", "/ok")), "another address");
    assertEquals(200, status(send("127.0.0.2", "plain.test", "/ok")), "another Ingress");

    held.remove().end("released");
    assertEquals(200, status(first));
    // The count drops when the server ends the exchange, which the client may see first.
    Await.until(
        "a new request from the address to pass",
        Duration.ofSeconds(10),
        () -> status(send("127.0.0.2", "conn.test", "/ok")) == 200);
  }
}
