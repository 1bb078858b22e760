package io.portico.router.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Sends bytes exactly as written, for requests a well-behaved client would never send. */
public final class RawHttp {

  private RawHttp() {}

  /** Writes {@code request}, then reads until the server closes or goes quiet for 2 seconds. */
  public static String exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        int n;
        while ((n = in.read(buffer)) > 0) {
          answer.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException quiet) {
        // The server kept the connection open: what arrived so far is the answer.
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
