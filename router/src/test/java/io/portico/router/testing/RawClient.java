package io.portico.router.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client connection that writes bytes exactly as given and reads what comes back, a piece at a
 * time: for exchanges that span several writes (a head, then a body later, or never).
 */
public final class RawClient implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private boolean closedByServer;

  public RawClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    in = socket.getInputStream();
  }

  /** Writes {@code text} as ISO-8859-1 bytes. */
  public RawClient write(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Writes {@code bytes} as they are; blocks while the server reads none of them. */
  public RawClient write(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /**
   * Reads until what was received contains {@code marker}, the server closes, or {@code timeout}
   * passes; returns everything received so far.
   */
  public String readUntil(String marker, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buffer = new byte[8192];
    while (!text().contains(marker) && !closedByServer) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
      try {
        int n = in.read(buffer);
        if (n < 0) {
          closedByServer = true;
        } else {
          received.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException quiet) {
        break;
      } catch (IOException reset) {
        closedByServer = true;
      }
    }
    return text();
  }

  /**
   * Reads one response whose body is framed by Content-Length (or that has none), at most {@code
   * timeout}; everything received.
   */
  public String readResponse(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String head = readUntil("\r\n\r\n", timeout);
    int end = head.indexOf("\r\n\r\n");
    if (end < 0) {
      return head;
    }
    long length = 0;
    for (String line : head.substring(0, end).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        length = Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    while (text().length() < end + 4 + length && !closedByServer) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      int before = text().length();
      readUntil(
          "\u0000never\u0000", Duration.ofNanos(Math.min(left, Duration.ofMillis(50).toNanos())));
      if (text().length() == before && System.nanoTime() >= deadline) {
        break;
      }
    }
    return text();
  }

  /** Reads until the server closes the connection, at most {@code timeout}; everything received. */
  public String readUntilClosed(Duration timeout) throws IOException {
    return readUntil("\u0000never\u0000", timeout);
  }

  /** Whether the server closed the connection (as far as reading has shown). */
  public boolean closedByServer() {
    return closedByServer;
  }

  /** Everything received so far. */
  public String text() {
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
