package io.portico.controller.gateway.conformance;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The conformance suite's client, on a connection of its own per request as the suite's is: any
 * method, Host header (with a port, if the test says so), headers and path, over plain HTTP/1.1 or
 * TLS with a given SNI name (the server's certificate is not checked: tests look at it when they
 * care). Responses are read whole.
 */
final class Client {

  /** What came back; the echo's JSON when the body is one. */
  record Answer(int status, Map<String, List<String>> headers, String body) {

    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : String.join(",", values);
    }

    /** The echo's description of the request, or {@code null} when the answer is not one. */
    JsonObject echo() {
      return "application/json".equals(header("content-type")) ? new JsonObject(body) : null;
    }
  }

  /** A request to send. */
  record Request(String method, String host, String path, Map<String, String> headers) {

    static Request get(String host, String path) {
      return new Request("GET", host, path, Map.of());
    }

    Request with(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Request(method, host, path, more);
    }

    Request method(String newMethod) {
      return new Request(newMethod, host, path, headers);
    }
  }

  private Client() {}

  static Answer send(int port, Request request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return exchange(socket, request);
    }
  }

  static Answer sendTls(int port, String serverName, Request request)
      throws IOException, GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
    try (SSLSocket socket =
        (SSLSocket)
            context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return exchange(socket, request);
    }
  }

  private static Answer exchange(Socket socket, Request request) throws IOException {
    socket.setSoTimeout(10_000);
    StringBuilder head = new StringBuilder();
    head.append(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(request.host()).append("\r\n");
    head.append("Connection: close\r\n");
    request
        .headers()
        .forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = socket.getInputStream();
    String status = line(in);
    if (status == null) {
      throw new IOException("the server closed the connection without an answer");
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers
          .computeIfAbsent(
              line.substring(0, colon).trim().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    int code = Integer.parseInt(status.split(" ")[1]);
    byte[] body;
    List<String> length = headers.get("content-length");
    List<String> encoding = headers.get("transfer-encoding");
    if (length != null) {
      body = in.readNBytes(Integer.parseInt(length.get(0)));
    } else if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
          size > 0;
          size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
        chunks.write(in.readNBytes(size));
        line(in);
      }
      body = chunks.toByteArray();
    } else if (request.method().equals("HEAD") || code == 204 || code == 304) {
      body = new byte[0];
    } else {
      body = in.readAllBytes();
    }
    return new Answer(code, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder out = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int end = out.length();
        return end > 0 && out.charAt(end - 1) == '\r' ? out.substring(0, end - 1) : out.toString();
      }
      out.append((char) c);
    }
    return out.length() == 0 ? null : out.toString();
  }
}
