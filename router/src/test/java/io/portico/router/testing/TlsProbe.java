package io.portico.router.testing;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A JDK TLS client for tests: real handshakes with 127.0.0.1, an SNI name of the test's choice, and
 * HTTP/1.1 requests over the connection. It trusts any server; tests check the certificate.
 */
public final class TlsProbe {

  private TlsProbe() {}

  /** What a handshake agreed on. */
  public record Handshake(X509Certificate leaf, String protocol, String cipherSuite) {
    /** The leaf's subject, e.g. {@code CN=app.test}. */
    public String subject() {
      return leaf.getSubjectX500Principal().getName();
    }
  }

  /** An HTTP/1.1 response read from a TLS connection. */
  public record Answer(int status, Map<String, String> headers, String body, Handshake handshake) {
    /** A header by lower-case name, or {@code null}. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Handshakes (TLS 1.3 or 1.2), sending {@code serverName} as SNI ({@code null}: none). */
  public static Handshake handshake(int port, String serverName)
      throws IOException, GeneralSecurityException {
    return handshake(port, serverName, new String[] {"TLSv1.3", "TLSv1.2"});
  }

  /**
   * Handshakes restricted to {@code protocols} and, when given, to {@code cipherSuites}.
   *
   * @throws javax.net.ssl.SSLHandshakeException when the server refuses
   */
  public static Handshake handshake(
      int port, String serverName, String[] protocols, String... cipherSuites)
      throws IOException, GeneralSecurityException {
    try (Connection connection = new Connection(port, serverName, protocols, cipherSuites)) {
      return connection.handshake();
    }
  }

  /** One request on a new connection, closed afterwards. */
  public static Answer get(int port, String serverName, String host, String path)
      throws IOException, GeneralSecurityException {
    try (Connection connection = Connection.open(port, serverName)) {
      return connection.get(host, path);
    }
  }

  /** A kept-alive TLS connection for several requests. */
  public static final class Connection implements AutoCloseable {

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Handshake handshake;

    private Connection(int port, String serverName, String[] protocols, String[] cipherSuites)
        throws IOException, GeneralSecurityException {
      SSLContext context = SSLContext.getInstance("TLS");
      // Accepts any server: the tests check the certificate themselves.
      context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
      socket =
          (SSLSocket)
              context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
      try {
        socket.setSoTimeout(30_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(
            serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        parameters.setProtocols(protocols);
        if (cipherSuites.length > 0) {
          parameters.setCipherSuites(cipherSuites);
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        handshake =
            new Handshake(
                (X509Certificate) socket.getSession().getPeerCertificates()[0],
                socket.getSession().getProtocol(),
                socket.getSession().getCipherSuite());
        in = socket.getInputStream();
        out = socket.getOutputStream();
      } catch (IOException | RuntimeException e) {
        socket.close();
        throw e;
      }
    }

    /** Connects and handshakes with TLS 1.3 or 1.2. */
    public static Connection open(int port, String serverName)
        throws IOException, GeneralSecurityException {
      return new Connection(port, serverName, new String[] {"TLSv1.3", "TLSv1.2"}, new String[0]);
    }

    public Handshake handshake() {
      return handshake;
    }

    /** Sends a GET and reads the response, which must carry a Content-Length. */
    public Answer get(String host, String path) throws IOException {
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String statusLine = line();
      if (statusLine == null) {
        throw new IOException("the server closed the connection without an answer");
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (String header = line(); header != null && !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        headers.put(
            header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      if (body.length < length) {
        throw new IOException("the body ended after " + body.length + " of " + length + " bytes");
      }
      return new Answer(
          Integer.parseInt(statusLine.split(" ")[1]),
          headers,
          new String(body, StandardCharsets.UTF_8),
          handshake);
    }

    /** One CRLF-terminated line, or {@code null} at the end of the stream. */
    private String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n') {
          String text = line.toString(StandardCharsets.ISO_8859_1);
          return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
        line.write(b);
      }
      return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
