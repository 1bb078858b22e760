package io.portico.router.testing;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.portico.tls.TlsKeyPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A JDK TLS client that may hold a client certificate and records whether the server asked for one:
 * the JDK calls the client's key manager exactly when a CertificateRequest arrives.
 */
public final class CertificateClient implements AutoCloseable {

  /** An HTTP/1.1 response. */
  public record Answer(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final RecordingKeyManager keys;
  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;

  /**
   * Connects and handshakes.
   *
   * @param serverName the SNI name, or {@code null} for none
   * @param certificate what to present when asked, or {@code null} for nothing
   * @param protocol {@code TLSv1.3} or {@code TLSv1.2}
   */
  public CertificateClient(int port, String serverName, TlsKeyPair certificate, String protocol)
      throws IOException, GeneralSecurityException {
    keys = new RecordingKeyManager(certificate);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        new javax.net.ssl.KeyManager[] {keys},
        InsecureTrustManagerFactory.INSTANCE.getTrustManagers(),
        null);
    socket =
        (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(30_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(
        serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
    parameters.setProtocols(new String[] {protocol});
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  public CertificateClient(int port, String serverName, TlsKeyPair certificate)
      throws IOException, GeneralSecurityException {
    this(port, serverName, certificate, "TLSv1.3");
  }

  /** How many times the server asked for a certificate on this connection. */
  public int requests() {
    return keys.asked.get();
  }

  /** Sends a GET with {@code extra} header lines and reads the response. */
  public Answer get(String host, String path, String... extra) throws IOException {
    StringBuilder request =
        new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
    for (String header : extra) {
      request.append(header).append("\r\n");
    }
    out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    String status = line();
    if (status == null) {
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
    return new Answer(
        Integer.parseInt(status.split(" ")[1]),
        headers,
        new String(in.readNBytes(length), StandardCharsets.UTF_8));
  }

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

  /** Counts the server's requests for a certificate; presents {@code certificate} if any. */
  private static final class RecordingKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final TlsKeyPair certificate;
    final AtomicInteger asked = new AtomicInteger();

    RecordingKeyManager(TlsKeyPair certificate) {
      this.certificate = certificate;
    }

    private String choose(String[] keyTypes) {
      asked.incrementAndGet();
      if (certificate == null) {
        return null;
      }
      for (String keyType : keyTypes) {
        if (keyType.equals(certificate.keyType())) {
          return ALIAS;
        }
      }
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return choose(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return choose(keyType);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return certificate == null ? null : new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return certificate == null ? null : certificate.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return certificate == null ? null : certificate.privateKey();
    }
  }
}
