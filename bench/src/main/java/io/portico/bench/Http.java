package io.portico.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The probes of the propagation benchmark: one request on a new connection, as a new client would
 * send it, so that a proxy that keeps old workers (nginx after a reload) is seen as a client sees
 * it.
 */
final class Http {

  /** A status and body; status 0 means the connection failed. */
  record Response(int status, String body) {
    boolean ok() {
      return status == 200;
    }
  }

  private Http() {}

  static Response get(int port, String host, String path) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(3000);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(US_ASCII));
      out.flush();
      String text = new String(socket.getInputStream().readAllBytes(), ISO_8859_1);
      if (!text.startsWith("HTTP/1.")) {
        return new Response(0, text);
      }
      int bodyStart = text.indexOf("\r\n\r\n");
      return new Response(
          Integer.parseInt(text.substring(9, 12)),
          bodyStart < 0 ? "" : text.substring(bodyStart + 4));
    } catch (IOException | RuntimeException e) {
      return new Response(0, e.toString());
    }
  }

  /** The serial number of the certificate a TLS server shows for {@code sni}, or null. */
  static @Nullable BigInteger serverCertificateSerial(int port, String sni) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        socket.setSoTimeout(3000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sni)));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
      }
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  /** Accepts any server certificate: the probes check which one is served, not who signed it. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
