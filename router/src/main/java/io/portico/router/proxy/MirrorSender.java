package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.route.Endpoint;
import io.portico.router.route.RouteTarget;
import io.portico.router.route.Upstream;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the copies of one listener's requests to their mirrors, on the side: through the event
 * loop's Vert.x client, at most {@link #MAX_IN_FLIGHT} at a time, each bounded by the upstream read
 * timeout, with the answer read and dropped. Confined to the event loop, like the listener.
 */
final class MirrorSender {

  /** The most copies one listener has in flight on one event loop; more are not sent. */
  static final int MAX_IN_FLIGHT = 128;

  /** The most body bytes a copy holds; a larger body is not mirrored. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(MirrorSender.class);

  private final HttpClient client;
  private final TrafficObserver observer;
  private final long timeoutMillis;
  private int inFlight;

  MirrorSender(HttpClient client, TrafficObserver observer, long timeoutMillis) {
    this.client = client;
    this.observer = observer;
    this.timeoutMillis = timeoutMillis;
  }

  /** Whether a new copy may start: one more would not pass {@link #MAX_IN_FLIGHT}. */
  boolean hasRoom() {
    return inFlight < MAX_IN_FLIGHT;
  }

  /** Copies in flight now. */
  int inFlight() {
    return inFlight;
  }

  /**
   * Sends one copy to an endpoint of the target's mirror.
   *
   * @param body the body, or {@code null} for none
   */
  void send(
      RouteTarget target,
      HttpMethod method,
      String uri,
      String host,
      MultiMap headers,
      @Nullable Buffer body) {
    // A copy exists only for a target with a mirror (MirrorCopy.of).
    Upstream mirror = requireNonNull(target.mirror(), "mirror");
    if (!hasRoom()) {
      observer.mirrorEnded(target, MirrorOutcome.BUSY);
      return;
    }
    int index = mirror.choose();
    if (index == Upstream.NONE) {
      observer.mirrorEnded(target, MirrorOutcome.NO_ENDPOINT);
      return;
    }
    Endpoint endpoint = mirror.endpoint(index);
    if (body == null) {
      headers.remove("content-length").remove("transfer-encoding");
    } else {
      headers.remove("transfer-encoding").set("content-length", String.valueOf(body.length()));
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host()))
            .setURI(uri)
            .setHeaders(headers)
            .setConnectTimeout(timeoutMillis)
            .setIdleTimeout(timeoutMillis);
    inFlight++;
    client
        .request(options)
        .compose(
            request -> {
              request.authority(HostAndPort.create(host, -1));
              return body == null ? request.send() : request.send(body);
            })
        .compose(MirrorSender::drain)
        .onComplete(
            done -> {
              inFlight--;
              if (done.failed()) {
                LOG.debug(
                    "event=mirror_failed backend={} cause={}",
                    mirror.backend().id(),
                    done.cause().toString());
              }
              observer.mirrorEnded(
                  target, done.succeeded() ? MirrorOutcome.SENT : MirrorOutcome.FAILED);
            });
  }

  /** Reads the mirror's answer to its end and drops it. */
  private static io.vertx.core.Future<Void> drain(HttpClientResponse response) {
    response.handler(chunk -> {});
    return response.end();
  }
}
