package io.portico.router.memcached;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.testing.MemcachedProcess;
import io.portico.router.testing.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client against a real memcached, and against servers that do not answer or answer wrong. */
class MemcachedClientTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private MemcachedProcess memcached;
  private Context loop;

  @BeforeEach
  void start() throws Exception {
    memcached = MemcachedProcess.start();
    loop = vertx.vertx().getOrCreateContext();
  }

  @AfterEach
  void stop() throws Exception {
    memcached.stop();
  }

  private MemcachedServer server(int port, int poolSize) {
    return new MemcachedServer(
        "127.0.0.1", port, Duration.ofMillis(500), Duration.ofSeconds(10), poolSize);
  }

  /** Makes a client on the test's event loop and runs {@code commands} with it there. */
  private <T> T onLoop(MemcachedServer server, Function<MemcachedClient, Future<T>> commands)
      throws Exception {
    Promise<T> result = Promise.promise();
    loop.runOnContext(
        v -> {
          MemcachedClient client = new MemcachedClient(vertx.vertx(), server);
          commands.apply(client).onComplete(result).onComplete(done -> client.close());
        });
    return await(result.future());
  }

  @Test
  void incrementStartsAMissingCountAtOneThenCounts() throws Exception {
    MemcachedServer server = server(memcached.port(), 2);
    List<Long> counts =
        onLoop(
            server,
            client ->
                client
                    .increment("k1", 10)
                    .compose(a -> client.increment("k1", 10).map(b -> List.of(a, b))));
    assertEquals(List.of(1L, 2L), counts);
  }

  @Test
  void getReturnsTheKeysFoundInOneRoundTrip() throws Exception {
    MemcachedServer server = server(memcached.port(), 1);
    Map<String, String> values =
        onLoop(
            server,
            client ->
                client.add("a", "7", 10).compose(stored -> client.get(List.of("a", "missing"))));
    assertEquals(Map.of("a", "7"), values);
  }

  @Test
  void addDoesNotReplaceAndIncrOfAMissingKeyIsEmpty() throws Exception {
    MemcachedServer server = server(memcached.port(), 1);
    List<Object> answers =
        onLoop(
            server,
            client ->
                client
                    .incr("none", 1)
                    .compose(
                        missing ->
                            client
                                .add("x", "1", 10)
                                .compose(
                                    first ->
                                        client
                                            .add("x", "5", 10)
                                            .map(
                                                second ->
                                                    List.<Object>of(missing, first, second)))));
    assertEquals(List.of(OptionalLong.empty(), true, false), answers);
  }

  @Test
  void manyCommandsAtOnceStayWithinThePoolAndAllGetTheirAnswers() throws Exception {
    MemcachedServer server = server(memcached.port(), 3);
    List<Object> result =
        onLoop(
            server,
            client -> {
              List<Future<Long>> all = new ArrayList<>();
              for (int i = 0; i < 200; i++) {
                all.add(client.increment("many", 10));
              }
              int open = client.connections();
              return Future.all(all)
                  .map(
                      done -> {
                        long max = 0;
                        for (Future<Long> each : all) {
                          max = Math.max(max, each.result());
                        }
                        return List.<Object>of(open, max);
                      });
            });
    assertEquals(3, result.get(0), "connections opened for 200 commands at once");
    assertEquals(200L, result.get(1), "every increment counted once");
  }

  @Test
  void aServerThatNeverAnswersFailsTheCommandAfterTheTimeout() throws Exception {
    int silent =
        await(vertx.vertx().createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1"))
            .actualPort();
    MemcachedServer server =
        new MemcachedServer("127.0.0.1", silent, Duration.ofMillis(100), Duration.ZERO, 1);
    ExecutionException failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> onLoop(server, client -> client.incr("k", 1)));
    assertInstanceOf(MemcachedException.class, failure.getCause());
    assertTrue(
        failure.getCause().getMessage().contains("no answer within 100 ms"), failure.toString());
  }

  @Test
  void aServerThatIsGoneFailsTheCommand() throws Exception {
    int port = memcached.port();
    memcached.stop();
    ExecutionException failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> onLoop(server(port, 1), client -> client.incr("k", 1)));
    assertInstanceOf(MemcachedException.class, failure.getCause());
    assertTrue(failure.getCause().getMessage().contains("cannot connect"), failure.toString());
  }

  @Test
  void anAnswerThatDoesNotReadFailsTheCommandAndTheConnection() throws Exception {
    int wrong =
        await(
                vertx
                    .vertx()
                    .createNetServer()
                    .connectHandler(
                        socket -> socket.handler(bytes -> socket.write(Buffer.buffer("HELLO\r\n"))))
                    .listen(0, "127.0.0.1"))
            .actualPort();
    MemcachedServer server = server(wrong, 1);
    List<Object> result =
        onLoop(
            server,
            client ->
                client
                    .incr("k", 1)
                    .transform(
                        done ->
                            Future.succeededFuture(
                                List.<Object>of(
                                    done.failed(),
                                    String.valueOf(done.cause()),
                                    client.connections()))));
    assertTrue((Boolean) result.get(0));
    assertTrue(result.get(1).toString().contains("unexpected answer \"HELLO\""), result.toString());
    assertEquals(0, result.get(2), "the broken connection left the pool");
  }

  @Test
  void aKeyMemcachedCannotTakeIsRefusedBeforeAnythingIsSent() {
    MemcachedServer server = server(memcached.port(), 1);
    ExecutionException failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () ->
                onLoop(
                    server,
                    client -> {
                      try {
                        return client.incr("has space", 1);
                      } catch (IllegalArgumentException e) {
                        return Future.failedFuture(e);
                      }
                    }));
    assertInstanceOf(IllegalArgumentException.class, failure.getCause());
    assertFalse(failure.getCause().getMessage().isEmpty());
  }
}
