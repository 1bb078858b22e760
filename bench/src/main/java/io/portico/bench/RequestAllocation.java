package io.portico.bench;

import io.portico.router.LiveConfig;
import io.portico.router.address.CidrSet;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.limit.ClientConnectionLimit;
import io.portico.router.policy.limit.LocalConnectionLimitPolicy;
import io.portico.router.policy.limit.LocalRateLimitPolicy;
import io.portico.router.policy.limit.RateLimit;
import io.portico.router.proxy.ProxyServer;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.vertx.core.Vertx;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Bytes allocated on the Vert.x event loops (Portico's and its in-process backend's) per proxied
 * request, for a route without policies ({@code plain.test}), one with {@code limit-connections}
 * ({@code conn.test}) and one with {@code limit-rps} ({@code rps.test}), each over one HTTP/1.1
 * keep-alive connection. The figure is deterministic enough to compare two builds: a change that
 * adds an allocation to every request of a plain route shows here, where wire throughput on a
 * shared machine would hide it.
 *
 * <p>{@code java -cp ... io.portico.bench.RequestAllocation [requests per round]}
 */
public final class RequestAllocation {

  private static final int ROUNDS = 6;

  private RequestAllocation() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Vertx vertx = Vertx.vertx();
    try {
      int backendPort =
          vertx
              .createHttpServer()
              .requestHandler(request -> request.response().end("ok"))
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get()
              .actualPort();
      Backend backend =
          Backend.of(
              new BackendId("default", "app", "80"),
              List.of(Endpoint.of("127.0.0.1", backendPort)));
      RouteTableBuilder table = RouteTable.builder();
      table.add(route("plain.test", backend, RoutePolicies.NONE));
      table.add(
          route(
              "conn.test",
              backend,
              RoutePolicies.of(
                  new LocalConnectionLimitPolicy(
                      new ClientConnectionLimit("default/conn", 10, CidrSet.EMPTY, 503)))));
      table.add(
          route(
              "rps.test",
              backend,
              RoutePolicies.of(
                  new LocalRateLimitPolicy(
                      new RateLimit("default/rps", 1_000_000, 0, 5, CidrSet.EMPTY, 503)))));
      LiveConfig config = new LiveConfig();
      config.publish(table.build());
      ProxyServer proxy =
          ProxyServer.start(vertx, config, ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
              .toCompletionStage()
              .toCompletableFuture()
              .get();
      for (String host : List.of("plain.test", "conn.test", "rps.test")) {
        measure(proxy.httpPort(), host, requests);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static Route route(String host, Backend backend, RoutePolicies policies) {
    return new Route(
        HostnamePattern.of(host),
        PathMatch.prefix("/"),
        backend,
        new RouteOrigin("default", host),
        HttpsPolicy.NONE,
        policies);
  }

  /** Rounds of {@code requests} keep-alive requests; the last rounds are the warm figure. */
  private static void measure(int port, String host, int requests) throws IOException {
    byte[] request =
        ("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      for (int round = 0; round < ROUNDS; round++) {
        long before = eventLoopAllocatedBytes();
        for (int i = 0; i < requests; i++) {
          out.write(request);
          out.flush();
          readResponse(in);
        }
        long allocated = eventLoopAllocatedBytes() - before;
        System.out.printf(
            Locale.ROOT,
            "host=%s round=%d bytes_per_request=%.1f%n",
            host,
            round,
            allocated / (double) requests);
      }
    }
  }

  private static long eventLoopAllocatedBytes() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("vert.x-eventloop")) {
        total += threads.getThreadAllocatedBytes(thread.getId());
      }
    }
    return total;
  }

  /** Reads one response with a Content-Length body; fails on anything but 200. */
  private static void readResponse(InputStream in) throws IOException {
    int length = -1;
    StringBuilder line = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed in a response head");
      }
      if (c != '\n') {
        line.append((char) c);
        continue;
      }
      String header = line.toString().strip();
      line.setLength(0);
      if (header.isEmpty()) {
        break;
      }
      if (header.startsWith("HTTP/1.1 ") && !header.startsWith("HTTP/1.1 200")) {
        throw new IOException("status: " + header + " (expected: 200)");
      }
      if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(header.substring(15).strip());
      }
    }
    if (length < 0 || in.readNBytes(length).length != length) {
      throw new EOFException("response body: short (expected: " + length + " bytes)");
    }
  }
}
