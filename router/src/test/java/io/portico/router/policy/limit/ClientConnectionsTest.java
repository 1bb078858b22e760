package io.portico.router.policy.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientConnectionsTest {

  @Test
  void countsUpToTheLimitAndRemovesACountAtZero() {
    ClientConnections connections = new ClientConnections(10);
    assertTrue(connections.tryAcquire("a/b", "10.0.0.1", 2));
    assertTrue(connections.tryAcquire("a/b", "10.0.0.1", 2));
    assertFalse(connections.tryAcquire("a/b", "10.0.0.1", 2));
    assertEquals(2, connections.inFlight("a/b", "10.0.0.1"));
    assertTrue(connections.tryAcquire("a/c", "10.0.0.1", 2), "another zone counts on its own");
    assertEquals(2, connections.size());

    connections.release("a/b", "10.0.0.1");
    assertTrue(connections.tryAcquire("a/b", "10.0.0.1", 2));
    connections.release("a/b", "10.0.0.1");
    connections.release("a/b", "10.0.0.1");
    connections.release("a/c", "10.0.0.1");
    assertEquals(0, connections.inFlight("a/b", "10.0.0.1"));
    assertEquals(0, connections.size(), "no count is kept for an address with nothing in flight");
  }

  @Test
  void pastTheBoundANewAddressIsRefusedAndACountedOneIsNot() {
    ClientConnections connections = new ClientConnections(2);
    assertTrue(connections.tryAcquire("z", "10.0.0.1", 5));
    assertTrue(connections.tryAcquire("z", "10.0.0.2", 5));
    assertFalse(connections.tryAcquire("z", "10.0.0.3", 5));
    assertTrue(connections.tryAcquire("z", "10.0.0.1", 5));
    assertEquals(2, connections.size());
    connections.release("z", "10.0.0.2");
    assertTrue(connections.tryAcquire("z", "10.0.0.3", 5));
  }

  /** Threads acquiring and releasing one address never pass the limit and leave nothing behind. */
  @Test
  void concurrentRequestsShareOneCountAndLeaveNoneBehind() throws Exception {
    ClientConnections connections = new ClientConnections(100);
    int threads = 4;
    int max = 3;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> admitted = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        admitted.add(
            pool.submit(
                () -> {
                  start.await();
                  int passed = 0;
                  for (int i = 0; i < 20_000; i++) {
                    if (connections.tryAcquire("z", "10.0.0.1", max)) {
                      most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                      inside.decrementAndGet();
                      connections.release("z", "10.0.0.1");
                      passed++;
                    }
                  }
                  return passed;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> each : admitted) {
        total += each.get(60, TimeUnit.SECONDS);
      }
      assertTrue(total > 0, "some requests passed");
      assertTrue(most.get() <= max, "in flight at once: " + most.get() + " (expected: <= 3)");
      assertEquals(0, connections.size());
    } finally {
      pool.shutdownNow();
    }
  }
}
