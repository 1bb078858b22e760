package io.portico.router.proxy;

import io.portico.router.policy.MirrorPolicy;
import io.portico.router.route.RouteTarget;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import org.jspecify.annotations.Nullable;

/**
 * The copy of one request for its route's mirror. Its head is taken when the request is forwarded;
 * its body, when it carries one, is collected as the body flows to the backend (the attempts hand
 * each chunk over), and the copy leaves when the body has ended. A body larger than {@link
 * MirrorSender#MAX_BODY_BYTES} is dropped at once and the copy is not sent. Nothing here ever holds
 * back the client's request. Confined to the request's event loop.
 */
final class MirrorCopy {

  private enum State {
    COLLECTING,
    DONE
  }

  private final MirrorSender sender;
  private final TrafficObserver observer;
  private final RouteTarget target;
  private final MirrorPolicy policy;
  private final HttpMethod method;
  private final String uri;
  private final MultiMap headers;
  private @Nullable Buffer body;
  private State state = State.COLLECTING;

  private MirrorCopy(
      MirrorSender sender,
      TrafficObserver observer,
      RouteTarget target,
      MirrorPolicy policy,
      HttpServerRequest request,
      MultiMap headers) {
    this.sender = sender;
    this.observer = observer;
    this.target = target;
    this.policy = policy;
    this.method = request.method();
    this.uri = policy.uri(UpstreamRequest.originForm(request), request.query());
    this.headers = headers;
  }

  /**
   * The copy of a request being forwarded, or {@code null} when none can be made now (the route has
   * no mirror, or too many copies are in flight: counted).
   *
   * @param headers the headers the backend gets (forwarded ones and policy changes included), a
   *     copy this one owns
   */
  static @Nullable MirrorCopy of(
      ListenerContext listener,
      RouteTarget target,
      MirrorPolicy policy,
      HttpServerRequest request,
      MultiMap headers) {
    if (target.mirror() == null) {
      return null;
    }
    if (!listener.mirrors().hasRoom()) {
      listener.observer().mirrorEnded(target, MirrorOutcome.BUSY);
      return null;
    }
    return new MirrorCopy(
        listener.mirrors(), listener.observer(), target, policy, request, headers);
  }

  /**
   * Starts the copy once it is known whether the request has a body: without one, or when the
   * mirror takes none, it leaves now.
   */
  void start(boolean bodyFollows) {
    if (state != State.COLLECTING) {
      return;
    }
    if (!bodyFollows || !policy.body()) {
      send(null);
    }
  }

  /** A chunk of the client's body, on its way to the backend. */
  void chunk(Buffer chunk) {
    if (state != State.COLLECTING || !policy.body()) {
      return;
    }
    int held = body == null ? 0 : body.length();
    if (held + chunk.length() > MirrorSender.MAX_BODY_BYTES) {
      state = State.DONE;
      body = null;
      observer.mirrorEnded(target, MirrorOutcome.BODY_TOO_LARGE);
      return;
    }
    if (body == null) {
      body = Buffer.buffer(Math.max(chunk.length(), 256));
    }
    body.appendBuffer(chunk);
  }

  /** The client's body ended: the copy leaves with it. */
  void end() {
    if (state == State.COLLECTING && policy.body()) {
      send(body == null ? Buffer.buffer() : body);
    }
  }

  /** The request is over: a copy still waiting for its body is given up, and counted. */
  void abandon() {
    if (state == State.COLLECTING) {
      state = State.DONE;
      body = null;
      observer.mirrorEnded(target, MirrorOutcome.INCOMPLETE);
    }
  }

  private void send(@Nullable Buffer withBody) {
    state = State.DONE;
    body = null;
    sender.send(target, method, uri, policy.host(), headers, withBody);
  }
}
