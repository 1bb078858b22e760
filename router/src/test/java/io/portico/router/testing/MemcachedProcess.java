package io.portico.router.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real memcached (Debian's {@code memcached} package, on the PATH) on a free loopback port, for
 * tests: started and awaited until it accepts connections, stopped at the end (or mid-test, to see
 * what its absence does).
 */
public final class MemcachedProcess implements AutoCloseable {

  private final int port;
  private final Process process;

  private MemcachedProcess(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  /** Starts memcached on a free port of 127.0.0.1 and waits until it accepts connections. */
  public static MemcachedProcess start() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path log = Files.createTempFile("memcached", ".log");
    Process process =
        new ProcessBuilder(
                List.of(
                    "memcached",
                    "-l",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(port),
                    "-U",
                    "0",
                    "-m",
                    "16",
                    "-t",
                    "1",
                    // memcached refuses to run as root without a user to run as.
                    "-u",
                    System.getProperty("user.name")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    MemcachedProcess started = new MemcachedProcess(port, process);
    Await.until(
        "memcached accepting on port " + port + " (its output: " + log + ")",
        Duration.ofSeconds(10),
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("memcached exited: " + Files.readString(log));
          }
          return started.accepts();
        });
    return started;
  }

  public int port() {
    return port;
  }

  /** Stops memcached and waits until it is gone. */
  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
