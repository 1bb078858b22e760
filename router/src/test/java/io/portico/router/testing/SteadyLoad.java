package io.portico.router.testing;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that keeps sending one request after another while a test changes things, recording
 * every answer whose status is not an accepted one (200 unless told otherwise). Bounded in count
 * and time, whatever the test does.
 */
public final class SteadyLoad implements AutoCloseable {

  private static final int MAX_REQUESTS = 200_000;

  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger sent = new AtomicInteger();
  private final Thread thread;

  private SteadyLoad(
      HttpProbe client, String host, String path, Duration max, Set<Integer> accepted) {
    long end = System.nanoTime() + max.toNanos();
    thread =
        new Thread(
            () -> {
              while (running.get() && sent.get() < MAX_REQUESTS && System.nanoTime() < end) {
                try {
                  int status = client.get(host, path).status();
                  if (!accepted.contains(status)) {
                    failures.add("status " + status);
                  }
                } catch (Exception e) {
                  failures.add(e.toString());
                }
                sent.incrementAndGet();
              }
            },
            "steady-load");
    thread.start();
  }

  /** Starts sending {@code GET path} with {@code Host: host} to 127.0.0.1:port, for at most max. */
  public static SteadyLoad start(Vertx vertx, int port, String host, String path, Duration max) {
    return new SteadyLoad(new HttpProbe(vertx, port), host, path, max, Set.of(200));
  }

  /** As {@link #start(Vertx, int, String, String, Duration)}, accepting these statuses. */
  public static SteadyLoad start(
      Vertx vertx, int port, String host, String path, Duration max, Set<Integer> accepted) {
    return new SteadyLoad(new HttpProbe(vertx, port), host, path, max, Set.copyOf(accepted));
  }

  /** Stops sending and waits for the request in flight. */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join();
  }

  public int sent() {
    return sent.get();
  }

  /** Every answer with a status not accepted, and every request that failed. */
  public List<String> failures() {
    return List.copyOf(failures);
  }
}
