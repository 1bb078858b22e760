package io.portico.controller.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * fabric8's mock API server in CRUD mode, as {@code @EnableKubernetesMockClient(crud = true)}
 * starts it, keeping every call in order (who made it, and the answer), and able to stall the Lease
 * calls of one client: they are never applied and never answered in time, as when the API server's
 * storage for them hangs, while that client's other calls go through; and able to break the next
 * watch of a path, with a message no client can read as a watch event.
 *
 * <p>It also keeps the mock's watches from stalling it: when a client closes a watch while the mock
 * is sending on it, the mock's close handler waits on the server's only event loop for the send,
 * which waits (30 s) for that same event loop. Here the close handlers run on a thread of their
 * own.
 */
public final class MockApiServer implements AutoCloseable {

  /** Longer than any request timeout of a test client. */
  private static final Duration STALL = Duration.ofSeconds(60);

  /**
   * A call as the server saw it.
   *
   * @param userAgent the client's User-Agent
   * @param code the status answered; 0 for a stalled call
   * @param body the request body, empty without one
   */
  public record Call(String userAgent, String method, String path, int code, String body) {
    public boolean toLease() {
      return path.contains("/leases");
    }

    /** Anything but a read: a create, update, patch or delete. */
    public boolean write() {
      return !method.equals("GET");
    }

    /** A successful write of the Lease that names {@code identity} as the holder. */
    public boolean takesLease(String identity) {
      return toLease()
          && write()
          && code / 100 == 2
          && body.replace(" ", "").contains("\"holderIdentity\":\"" + identity + "\"");
    }
  }

  private final List<Call> calls = new ArrayList<>();
  private final ExecutorService closer =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "mock-watch-close");
            thread.setDaemon(true);
            return thread;
          });
  private final Set<String> stalled = ConcurrentHashMap.newKeySet();
  private final Set<String> toBreak = ConcurrentHashMap.newKeySet();
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  public MockApiServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            new Recording(new KubernetesMixedDispatcher(responses)),
            true);
    server.init();
    client = server.createClient();
  }

  /** A client of the test's own. */
  public KubernetesClient client() {
    return client;
  }

  public int port() {
    return server.getPort();
  }

  /**
   * From now on, stalls the Lease calls of the client with this User-Agent.
   *
   * @return the number of calls so far: where the stall starts in {@link #calls()}
   */
  public int stallLeaseCalls(String userAgent) {
    synchronized (calls) {
      stalled.add(userAgent);
      return calls.size();
    }
  }

  /**
   * The next watch whose path contains {@code pathPart} opens, then receives a message that is no
   * watch event; it stays open.
   */
  public void breakNextWatch(String pathPart) {
    toBreak.add(pathPart);
  }

  /** Lets every Lease call through again (those stalled already stay unanswered). */
  public void unstall() {
    stalled.clear();
  }

  /** Every call so far, in the order the server received them. */
  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
    closer.shutdownNow();
  }

  private final class Recording extends Dispatcher {
    private final Dispatcher crud;

    Recording(Dispatcher crud) {
      this.crud = crud;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String userAgent = String.valueOf(request.getHeader("User-Agent"));
      String body =
          request.getBody() == null
              ? ""
              : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
      synchronized (calls) {
        if (request.getPath().contains("/leases") && stalled.contains(userAgent)) {
          calls.add(new Call(userAgent, request.getMethod(), request.getPath(), 0, body));
          return new MockResponse().setResponseCode(503).setBody("stalled").setBodyDelay(STALL);
        }
        if (request.getPath().contains("watch=true")
            && toBreak.removeIf(part -> request.getPath().contains(part))) {
          calls.add(new Call(userAgent, request.getMethod(), request.getPath(), 101, body));
          return new MockResponse().withWebSocketUpgrade(new Garbling());
        }
        MockResponse response = crud.dispatch(request);
        if (response.getWebSocketListener() != null) {
          response.withWebSocketUpgrade(new ClosingAside(response.getWebSocketListener()));
        }
        calls.add(
            new Call(userAgent, request.getMethod(), request.getPath(), response.code(), body));
        return response;
      }
    }

    @Override
    public void shutdown() {
      crud.shutdown();
    }

    @Override
    public void releaseResources() {
      crud.releaseResources();
    }
  }

  /** A watch's listener whose close and failure handlers run off the event loop. */
  private final class ClosingAside extends WebSocketListener {
    private final WebSocketListener watch;

    ClosingAside(WebSocketListener watch) {
      this.watch = watch;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
      watch.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      watch.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      watch.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
      watch.onMessage(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      watch.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      closer.execute(() -> watch.onClosed(webSocket, code, reason));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
      closer.execute(() -> watch.onFailure(webSocket, error, response));
    }
  }

  /** A watch that sends what no client can read as an event. */
  private static final class Garbling extends WebSocketListener {
    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      webSocket.send("this is no watch event");
    }
  }
}
