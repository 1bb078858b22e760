package io.portico.tls;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLSession;

/**
 * A TLS server on 127.0.0.1 driven by a JDK {@link SSLEngine} over a blocking socket, the way an
 * event-loop server uses an engine: it completes the handshake of each connection, then closes it.
 * Connections are served one at a time on one thread.
 */
final class EngineTlsServer implements AutoCloseable {

  private final SSLContext context;
  private final ServerSocketChannel channel;
  private final Thread acceptor;
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();

  EngineTlsServer(KeyManager keyManager) throws IOException, GeneralSecurityException {
    context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {keyManager}, null, null);
    channel = ServerSocketChannel.open();
    channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::acceptLoop, "engine-tls-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() throws IOException {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  /** Server-side handshake failures so far, for assertion messages. */
  List<Throwable> failures() {
    return failures;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    channel.close();
    acceptor.join();
  }

  private void acceptLoop() {
    while (channel.isOpen()) {
      try (SocketChannel connection = channel.accept()) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        handshake(connection, engine);
      } catch (IOException e) {
        if (channel.isOpen()) {
          failures.add(e);
        }
      }
    }
  }

  private static void handshake(SocketChannel connection, SSLEngine engine) throws IOException {
    SSLSession session = engine.getSession();
    ByteBuffer netIn = ByteBuffer.allocate(session.getPacketBufferSize());
    ByteBuffer netOut = ByteBuffer.allocate(session.getPacketBufferSize());
    ByteBuffer appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
    ByteBuffer empty = ByteBuffer.allocate(0);
    engine.beginHandshake();
    HandshakeStatus status = engine.getHandshakeStatus();
    while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
      switch (status) {
        case NEED_TASK -> {
          for (Runnable task = engine.getDelegatedTask();
              task != null;
              task = engine.getDelegatedTask()) {
            task.run();
          }
          status = engine.getHandshakeStatus();
        }
        case NEED_WRAP -> {
          netOut.clear();
          SSLEngineResult result = engine.wrap(empty, netOut);
          netOut.flip();
          while (netOut.hasRemaining()) {
            connection.write(netOut);
          }
          if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            return;
          }
          status = result.getHandshakeStatus();
        }
        default -> {
          netIn.flip();
          SSLEngineResult result = engine.unwrap(netIn, appIn);
          netIn.compact();
          if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
              && connection.read(netIn) < 0) {
            throw new EOFException("client closed during the handshake");
          }
          if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            return;
          }
          status = result.getHandshakeStatus();
        }
      }
    }
  }
}
