package io.portico.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.portico.router.route.Endpoint;
import io.portico.router.testing.RawBackend;
import io.portico.router.testing.TestVertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pool's own housekeeping, which the proxy's integration tests do not reach. */
class UpstreamPoolTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();

  @Test
  void closesAConnectionIdleLongerThanTheKeepAliveTimeout() throws Exception {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    RawBackend backend =
        RawBackend.start(
            vertx.vertx(),
            socket -> {
              socket.handler(
                  request ->
                      socket.write(
                          Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")));
              socket.closeHandler(v -> closed.complete(null));
            });
    EventLoop loop = ((ContextInternal) vertx.vertx().getOrCreateContext()).nettyEventLoop();
    UpstreamPool pool =
        new UpstreamPool(
            loop,
            ((VertxInternal) vertx.vertx()).transport().channelFactory(false),
            2_000,
            4,
            16,
            1,
            32 * 1024);
    CompletableFuture<Integer> status = new CompletableFuture<>();
    loop.execute(
        () ->
            pool.acquire(
                Endpoint.of("127.0.0.1", backend.port()),
                new UpstreamPool.Waiter() {
                  @Override
                  public void acquired(UpstreamConnection connection) {
                    connection.begin(
                        new Answer(status),
                        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"),
                        true);
                  }

                  @Override
                  public void connectFailed(Throwable cause) {
                    status.completeExceptionally(cause);
                  }
                }));
    assertEquals(200, status.get(10, TimeUnit.SECONDS));

    // Back in the pool, idle: the sweep (every 5 s) closes it once idle for over 1 s.
    closed.get(30, TimeUnit.SECONDS);
    assertEquals(1, backend.connections().get());
    loop.execute(pool::close);
  }

  /** Completes with the response's status once the response has ended. */
  private static final class Answer implements UpstreamConnection.Exchange {
    private final CompletableFuture<Integer> status;
    private int code;

    Answer(CompletableFuture<Integer> status) {
      this.status = status;
    }

    @Override
    public void head(HttpResponse head) {
      code = head.status().code();
    }

    @Override
    public void content(ByteBuf chunk) {
      chunk.release();
    }

    @Override
    public void end(ByteBuf chunk) {
      chunk.release();
      status.complete(code);
    }

    @Override
    public void failed(Throwable cause, boolean answered) {
      status.completeExceptionally(cause);
    }

    @Override
    public void writable() {}
  }
}
