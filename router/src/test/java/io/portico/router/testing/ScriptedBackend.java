package io.portico.router.testing;

import static io.portico.router.testing.TestVertx.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A backend on 127.0.0.1 that reads HTTP/1.1 requests (heads, and bodies framed by Content-Length)
 * and answers each with what a script returns for its head, written as raw bytes: for answers no
 * well-behaved server gives (a refusal before the body, a 101 nobody asked for, no answer at all).
 * It records the request lines it saw and counts its connections.
 */
public final class ScriptedBackend {

  /** A request head as the backend read it. */
  public record Head(String method, String path, String headers) {
    /** Whether a header line with this name (any case) was sent. */
    public boolean has(String name) {
      return headers
          .toLowerCase(Locale.ROOT)
          .contains("\r\n" + name.toLowerCase(Locale.ROOT) + ":");
    }
  }

  /** Answers {@code ok} with 200 and a keep-alive body of two bytes. */
  public static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  private final int port;
  private final AtomicInteger connections;
  private final List<String> requests;

  private ScriptedBackend(int port, AtomicInteger connections, List<String> requests) {
    this.port = port;
    this.connections = connections;
    this.requests = requests;
  }

  /**
   * Starts one. {@code script} gets each head and the connection, and returns the raw answer to
   * write at once, or {@code null} to write nothing (it may write later, or close, itself).
   */
  public static ScriptedBackend start(Vertx vertx, BiFunction<Head, NetSocket, String> script)
      throws Exception {
    AtomicInteger connections = new AtomicInteger();
    List<String> requests = new CopyOnWriteArrayList<>();
    int port =
        await(
                vertx
                    .createNetServer()
                    .connectHandler(
                        socket -> {
                          connections.incrementAndGet();
                          socket.handler(new Reader(socket, script, requests)::read);
                        })
                    .listen(0, "127.0.0.1"))
            .actualPort();
    return new ScriptedBackend(port, connections, requests);
  }

  public int port() {
    return port;
  }

  /** How many connections it has accepted. */
  public int connections() {
    return connections.get();
  }

  /** The request lines it has read ({@code GET /x}), in order. */
  public List<String> requests() {
    return requests;
  }

  /** Reads the requests of one connection. */
  private static final class Reader {
    private final NetSocket socket;
    private final BiFunction<Head, NetSocket, String> script;
    private final List<String> requests;
    private Buffer pending = Buffer.buffer();
    // Body bytes of the current request still to skip.
    private long body;

    Reader(NetSocket socket, BiFunction<Head, NetSocket, String> script, List<String> requests) {
      this.socket = socket;
      this.script = script;
      this.requests = requests;
    }

    void read(Buffer data) {
      pending.appendBuffer(data);
      while (true) {
        if (body > 0) {
          int skip = (int) Math.min(body, pending.length());
          body -= skip;
          pending = pending.getBuffer(skip, pending.length());
          if (body > 0) {
            return;
          }
        }
        String text = pending.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
          return;
        }
        String head = text.substring(0, end + 2);
        pending = pending.getBuffer(end + 4, pending.length());
        String line = head.substring(0, head.indexOf("\r\n"));
        String[] parts = line.split(" ");
        requests.add(parts[0] + " " + parts[1]);
        String headers = head.substring(line.length());
        body = contentLength(headers);
        String answer = script.apply(new Head(parts[0], parts[1], headers), socket);
        if (answer != null) {
          socket.write(Buffer.buffer(answer.getBytes(StandardCharsets.ISO_8859_1)));
        }
      }
    }

    private static long contentLength(String headers) {
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
          return Long.parseLong(line.substring(colon + 1).trim());
        }
      }
      return 0;
    }
  }
}
