package io.portico.router.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Vert.x instance per test that fails the test when any event loop was blocked for more than 200
 * ms: the check that no blocking call sneaks onto an event loop.
 *
 * <p>Clients for a test come from {@link #httpClient()} and {@link #webSocketClient()}, which hold
 * them until the test ends. Vert.x 5 closes a client, connections and all, once the garbage
 * collector finds it unreachable: a client created inline, or kept only in a local variable whose
 * last use has passed, can lose its connection in the middle of the test.
 */
public final class TestVertx implements BeforeEachCallback, AfterEachCallback {

  private static final Duration MAX_EVENT_LOOP_EXECUTE_TIME = Duration.ofSeconds(1);

  static {
    // Netty's first pooled buffer registers its JFR events, once per JVM: over a second on a busy
    // machine. Pay it here, on the test thread, not on the event loop of whichever test is first.
    ByteBufAllocator.DEFAULT.buffer(1).release();
  }

  private final List<String> blocked = new CopyOnWriteArrayList<>();
  private final List<Object> clients = new CopyOnWriteArrayList<>();
  private Vertx vertx;

  public Vertx vertx() {
    return vertx;
  }

  /** An HTTP client that stays open until the test ends. */
  public HttpClient httpClient() {
    return httpClient(new PoolOptions());
  }

  /** An HTTP client with this pool that stays open until the test ends. */
  public HttpClient httpClient(PoolOptions pool) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions(), pool);
    clients.add(client);
    return client;
  }

  /** A WebSocket client that stays open until the test ends. */
  public WebSocketClient webSocketClient() {
    WebSocketClient client = vertx.createWebSocketClient();
    clients.add(client);
    return client;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    blocked.clear();
    vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(2)
                .setPreferNativeTransport(true)
                .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_EXECUTE_TIME.toNanos())
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.NANOSECONDS)
                .setBlockedThreadCheckInterval(100)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    ((VertxInternal) vertx)
        .blockedThreadChecker()
        .setThreadBlockedHandler(
            event -> {
              if (event.thread().getName().contains("eventloop")) {
                blocked.add(event.thread().getName() + " blocked for " + event.duration() + " ns");
              }
            });
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    await(vertx.close());
    clients.clear();
    assertEquals(List.of(), blocked, "event loops were blocked");
  }

  /** Waits for a future from a test thread (never from an event loop). */
  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
