package io.portico.router.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Port 0 means "any free port". Vert.x shares a listening socket between the instances of one
 * deployment only for a concrete port, so a free port is chosen once, here, and every event loop
 * listens on it.
 */
final class FreePort {

  private FreePort() {}

  /** {@code port} itself, or for 0 a port that was free a moment ago on {@code bindHost}. */
  static int resolve(String bindHost, int port) throws IOException {
    if (port != 0) {
      return port;
    }
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(bindHost))) {
      probe.setReuseAddress(true);
      return probe.getLocalPort();
    }
  }
}
