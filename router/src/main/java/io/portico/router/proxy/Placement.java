package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.balance.AffinityMode;
import io.portico.router.balance.CookieAffinity;
import io.portico.router.balance.StickyIndex;
import io.portico.router.route.Endpoint;
import io.portico.router.route.RouteTarget;
import io.portico.router.route.Upstream;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one request goes: the endpoint of each attempt, the session cookie its response carries,
 * and its count in the balancer's in-flight numbers. One per request, used on the event loop of the
 * client's connection only, so its fields need no synchronisation.
 *
 * <p>With cookie affinity:
 *
 * <ul>
 *   <li>a cookie this backend knows pins the request to its endpoint, ready or draining, and no
 *       cookie is set;
 *   <li>without one (absent, stale, foreign or junk), the request starts a new session on a ready
 *       endpoint and the response sets a cookie for it: persistent mode picks the endpoint by the
 *       load-balancing policy and names it; balanced mode draws a session key and consistent
 *       hashing picks the endpoint;
 *   <li>when an attempt cannot connect, the retry goes to another ready endpoint. A pinned client
 *       keeps its cookie (the endpoint may be back for its next request) unless {@code
 *       change-on-failure} is set: then, as for a new session, the cookie names where the retry
 *       went.
 * </ul>
 *
 * <p>Balanced mode never rewrites a cookie it knows, as in ingress-nginx: the key is still valid
 * when its endpoint has gone, it simply hashes onto the endpoints that remain.
 */
final class Placement {

  private static final Logger LOG = LoggerFactory.getLogger(Placement.class);

  private final RouteTarget target;
  private final Upstream upstream;
  private final @Nullable StickyIndex sticky;
  private int index = Upstream.NONE;
  private boolean pinned;
  private @Nullable String cookie;
  private int counted = Upstream.NONE;
  private boolean released;

  private Placement(RouteTarget target) {
    this.target = target;
    this.upstream = target.upstream();
    this.sticky = upstream.sticky();
  }

  /** Places a new request: by its session cookie when it has a valid one, else afresh. */
  static Placement of(HttpServerRequest request, RouteTarget target) {
    Placement placement = new Placement(target);
    placement.first(request.headers());
    return placement;
  }

  private void first(MultiMap headers) {
    if (sticky == null) {
      moveTo(upstream.choose());
      return;
    }
    int found = AffinityCookies.find(headers, sticky);
    if (found != StickyIndex.NONE) {
      pinned = true;
      moveTo(found);
      return;
    }
    newSession(Upstream.NONE);
  }

  /** The endpoint of the current attempt, or {@code null} when the backend has no ready one. */
  @Nullable Endpoint endpoint() {
    return index == Upstream.NONE ? null : upstream.endpoint(index);
  }

  /**
   * Moves the request to another endpoint after a failed attempt.
   *
   * @param connectFailure whether the attempt could not connect (which is what {@code
   *     change-on-failure} re-pins on) rather than losing a pooled connection
   * @return the endpoint to retry on, or {@code null} when there is no other ready one (the state
   *     is then unchanged)
   */
  @Nullable Endpoint retry(boolean connectFailure) {
    int failed = index;
    boolean repin =
        sticky != null && (!pinned || (connectFailure && sticky.affinity().changeOnFailure()));
    if (repin) {
      if (pinned) {
        LOG.debug(
            "event=affinity_repin backend={} reason=connect_failure", upstream.backend().id());
        pinned = false;
      }
      newSession(failed);
      return index == failed ? null : endpoint();
    }
    int other = upstream.chooseOther(failed);
    if (other == Upstream.NONE) {
      return null;
    }
    moveTo(other);
    return endpoint();
  }

  /**
   * Starts a session on a ready endpoint other than {@code excluded}, with the cookie that pins it;
   * leaves everything as it was when there is no such endpoint.
   */
  private void newSession(int excluded) {
    requireNonNull(sticky, "sticky");
    if (sticky.affinity().mode() == AffinityMode.PERSISTENT) {
      int chosen = excluded == Upstream.NONE ? upstream.choose() : upstream.chooseOther(excluded);
      if (chosen != Upstream.NONE) {
        cookie = sticky.persistentValue(chosen);
        moveTo(chosen);
      }
      return;
    }
    if (upstream.readyCount() == 0) {
      return;
    }
    long session = sticky.newSession(excluded);
    int chosen = sticky.endpointOf(session);
    if (sticky.acceptsNew(chosen, excluded)) {
      cookie = sticky.balancedValue(session);
      moveTo(chosen);
      return;
    }
    // Every key drawn mapped to a draining or excluded endpoint: serve this request without a
    // cookie, and the next one draws again.
    int fallback = excluded == Upstream.NONE ? upstream.choose() : upstream.chooseOther(excluded);
    if (fallback != Upstream.NONE) {
      cookie = null;
      moveTo(fallback);
    }
  }

  /** Makes {@code next} the current attempt, moving this request's in-flight count to it. */
  private void moveTo(int next) {
    index = next;
    if (released || next == Upstream.NONE) {
      return;
    }
    if (counted != Upstream.NONE) {
      upstream.end(counted);
    }
    upstream.begin(next);
    counted = next;
  }

  /**
   * Adds the session cookie to a response from the backend, when this request started or changed a
   * session.
   *
   * @param https whether the request came over HTTPS
   */
  void addCookie(HttpServerRequest request, MultiMap responseHeaders, boolean https) {
    if (cookie == null) {
      return;
    }
    requireNonNull(sticky, "sticky");
    CookieAffinity affinity = sticky.affinity();
    responseHeaders.add(
        "set-cookie",
        AffinityCookies.setCookie(
            affinity,
            cookie,
            target.route().path().path(),
            https,
            request.getHeader("user-agent"),
            Instant.now()));
  }

  /**
   * Ends this request's in-flight count. Idempotent: every way an exchange can end calls it, and
   * only the first call counts.
   */
  void release() {
    if (released) {
      return;
    }
    released = true;
    if (counted != Upstream.NONE) {
      upstream.end(counted);
      counted = Upstream.NONE;
    }
  }
}
