package io.portico.router.memcached;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.limit.SharedCounters;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SharedCounters} kept in one memcached server. Equal settings give equal values, so an
 * unchanged ConfigMap translated again gives equal policies. Each event loop talks to the server
 * through its own {@link MemcachedClient}, made on its first request and closed with the event
 * loop's context (the proxy's verticle), so that no connection is shared across threads and nothing
 * is locked; like nginx's workers, each event loop has its own pool.
 *
 * @param server the server and how to talk to it
 */
public record MemcachedCounters(MemcachedServer server) implements SharedCounters {

  private record ClientKey(Context context, MemcachedServer server) {}

  private static final Map<ClientKey, MemcachedClient> CLIENTS = new ConcurrentHashMap<>();

  public MemcachedCounters {
    requireNonNull(server, "server");
  }

  @Override
  public CompletionStage<long[]> counts(List<String> keys) {
    return stage(
        client()
            .get(keys)
            .map(
                values -> {
                  long[] counts = new long[keys.size()];
                  for (int i = 0; i < counts.length; i++) {
                    String value = values.get(keys.get(i));
                    counts[i] = value == null ? 0 : parseCount(value);
                  }
                  return counts;
                }));
  }

  @Override
  public CompletionStage<Long> increment(String key, int expirySeconds) {
    return stage(client().increment(key, expirySeconds));
  }

  /** Clients open now, for tests. */
  static int clients() {
    return CLIENTS.size();
  }

  private MemcachedClient client() {
    Context current = Context.isOnEventLoopThread() ? Vertx.currentContext() : null;
    if (current == null) {
      throw new MemcachedException(server + ": not called on an event loop");
    }
    // Each request runs on a context of its own, duplicated from its event loop's: the client
    // belongs to the event loop's, which lives as long as the listener.
    ContextInternal context = ((ContextInternal) current).unwrap();
    ClientKey key = new ClientKey(context, server);
    MemcachedClient client = CLIENTS.get(key);
    if (client == null) {
      MemcachedClient made = new MemcachedClient(context.owner(), server);
      client = made;
      CLIENTS.put(key, made);
      context.addCloseHook(
          done -> {
            CLIENTS.remove(key, made);
            made.close();
            done.succeed();
          });
    }
    return client;
  }

  private long parseCount(String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new MemcachedException(server + ": a count that is not a number: \"" + value + "\"");
    }
  }

  private static <T> CompletionStage<T> stage(Future<T> future) {
    CompletableFuture<T> stage = new CompletableFuture<>();
    future.onComplete(
        (value, failure) -> {
          if (failure != null) {
            stage.completeExceptionally(failure);
          } else {
            stage.complete(value);
          }
        });
    return stage;
  }
}
