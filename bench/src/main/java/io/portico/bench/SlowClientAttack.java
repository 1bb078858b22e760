package io.portico.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clients of {@code bench/slow-clients.sh}: what a few hostile clients do to make a proxy hold
 * memory or connections, against 127.0.0.1 only, bounded in time and count.
 *
 * <ul>
 *   <li>{@code backend PORT}: a backend that accepts connections and never reads or answers, so
 *       that every request body sent to it stays with the proxy;
 *   <li>{@code h2-bodies PORT CONNECTIONS STREAMS SECONDS}: HTTP/2 connections (TLS, ALPN h2, to
 *       the HTTPS port) that each open STREAMS uploads to that backend and write body bytes as fast
 *       as the proxy's flow-control windows let them, for SECONDS;
 *   <li>{@code slow-heads PORT CONNECTIONS SECONDS GAP}: HTTP/1.1 connections that send a request
 *       head one header line every GAP seconds;
 *   <li>{@code slow-bodies PORT CONNECTIONS SECONDS GAP}: HTTP/1.1 uploads that send one body byte
 *       every GAP seconds.
 * </ul>
 *
 * <p>Each attack prints one line: what it sent, how the proxy answered, and how many of its
 * connections the proxy closed (with the median time to close).
 */
public final class SlowClientAttack {

  private static final String HOST = "bench.test";

  private SlowClientAttack() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: backend PORT | h2-bodies PORT CONNECTIONS STREAMS SECONDS"
              + " | slow-heads PORT CONNECTIONS SECONDS GAP | slow-bodies PORT CONNECTIONS SECONDS"
              + " GAP");
    }
    int port = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    switch (args[0]) {
      case "backend" -> backend(vertx, port);
      case "h2-bodies" ->
          h2Bodies(
              vertx, port, bounded(args[2], 200), bounded(args[3], 100), bounded(args[4], 120));
      case "slow-heads" ->
          slow(
              vertx,
              port,
              bounded(args[2], 5000),
              bounded(args[3], 300),
              bounded(args[4], 60),
              false);
      case "slow-bodies" ->
          slow(
              vertx,
              port,
              bounded(args[2], 5000),
              bounded(args[3], 300),
              bounded(args[4], 60),
              true);
      default -> throw new IllegalArgumentException("attack: " + args[0]);
    }
    if (!args[0].equals("backend")) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static int bounded(String text, int max) {
    int value = Integer.parseInt(text);
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(text + " (expected: 1 to " + max + ")");
    }
    return value;
  }

  /** Accepts and never reads: runs until killed. */
  private static void backend(Vertx vertx, int port) throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    vertx
        .createNetServer()
        .connectHandler(
            socket -> {
              accepted.incrementAndGet();
              socket.pause();
            })
        .listen(port, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    System.out.println("backend listening=127.0.0.1:" + port);
  }

  private static void h2Bodies(Vertx vertx, int port, int connections, int streams, int seconds)
      throws Exception {
    Buffer chunk = Buffer.buffer(new byte[16 * 1024]);
    AtomicLong written = new AtomicLong();
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    List<HttpClient> clients = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (int c = 0; c < connections; c++) {
      // One client per connection: its pool holds one HTTP/2 connection for all its streams.
      HttpClient client =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setProtocolVersion(HttpVersion.HTTP_2)
                  .setSsl(true)
                  .setUseAlpn(true)
                  // The bench's own self-signed certificate, on 127.0.0.1.
                  .setTrustAll(true)
                  .setVerifyHost(false)
                  .setHttp2MultiplexingLimit(streams),
              new PoolOptions().setHttp2MaxSize(1));
      clients.add(client);
      for (int s = 0; s < streams; s++) {
        client
            .request(
                new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
                    .setHost(HOST)
                    .setURI("/upload"))
            .onComplete(
                opened -> {
                  if (opened.failed()) {
                    count(outcomes, "open_failed");
                    return;
                  }
                  HttpClientRequest request = opened.result();
                  // Resets and closed connections are the expected outcome: counted, not logged.
                  request.exceptionHandler(e -> {});
                  request.connection().exceptionHandler(e -> {});
                  request.setChunked(true);
                  request.response().onSuccess(r -> count(outcomes, "status_" + r.statusCode()));
                  request.response().onFailure(e -> count(outcomes, "reset"));
                  pump(vertx, request, chunk, written, end);
                });
      }
    }
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    System.out.printf(
        Locale.ROOT,
        "attack=h2-bodies connections=%d streams=%d written_mib=%.1f outcomes=%s%n",
        connections,
        streams,
        written.get() / (1024.0 * 1024.0),
        new TreeMap<>(outcomes));
    for (HttpClient client : clients) {
      client.close();
    }
  }

  /** Writes while the stream takes more, until {@code end}; never ends the body. */
  private static void pump(
      Vertx vertx, HttpClientRequest request, Buffer chunk, AtomicLong written, long end) {
    while (!request.writeQueueFull() && System.nanoTime() < end) {
      request.write(chunk);
      written.addAndGet(chunk.length());
    }
    if (System.nanoTime() < end) {
      request.drainHandler(v -> pump(vertx, request, chunk, written, end));
    }
  }

  private static void slow(
      Vertx vertx, int port, int connections, int seconds, int gapSeconds, boolean body)
      throws Exception {
    AtomicInteger closed = new AtomicInteger();
    AtomicInteger answered408 = new AtomicInteger();
    List<Long> closeMillis = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch opened = new CountDownLatch(connections);
    long start = System.nanoTime();
    // One client for all connections, held until the end: Vert.x closes a client (and its
    // connections) once it is unreachable.
    NetClient client = vertx.createNetClient();
    for (int i = 0; i < connections; i++) {
      client
          .connect(port, "127.0.0.1")
          .onComplete(
              connected -> {
                opened.countDown();
                if (connected.failed()) {
                  closed.incrementAndGet();
                  return;
                }
                NetSocket socket = connected.result();
                long since = System.nanoTime();
                socket.handler(
                    data -> {
                      if (data.toString().startsWith("HTTP/1.1 408")) {
                        answered408.incrementAndGet();
                      }
                    });
                socket.closeHandler(
                    v -> {
                      closed.incrementAndGet();
                      closeMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
                    });
                socket.write(
                    body
                        ? "POST /upload HTTP/1.1\r\nHost: "
                            + HOST
                            + "\r\nContent-Length: 1000000\r\n\r\n"
                        : "GET / HTTP/1.1\r\nHost: " + HOST + "\r\n");
                AtomicInteger sent = new AtomicInteger();
                vertx.setPeriodic(
                    TimeUnit.SECONDS.toMillis(gapSeconds),
                    timer -> {
                      if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(seconds)) {
                        vertx.cancelTimer(timer);
                        return;
                      }
                      socket.write(body ? "x" : "X-Drip-" + sent.incrementAndGet() + ": 1\r\n");
                    });
              });
    }
    opened.await(30, TimeUnit.SECONDS);
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    client.close();
    List<Long> sorted = new ArrayList<>(closeMillis);
    sorted.sort(null);
    System.out.printf(
        Locale.ROOT,
        "attack=%s connections=%d gap_s=%d closed_by_proxy=%d answered_408=%d"
            + " median_close_s=%s%n",
        body ? "slow-bodies" : "slow-heads",
        connections,
        gapSeconds,
        closed.get(),
        answered408.get(),
        sorted.isEmpty()
            ? "-"
            : String.format(Locale.ROOT, "%.1f", sorted.get(sorted.size() / 2) / 1000.0));
  }

  private static void count(Map<String, AtomicInteger> outcomes, String outcome) {
    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
  }
}
