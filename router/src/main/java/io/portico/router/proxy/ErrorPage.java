package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.portico.router.policy.HeaderEdits;
import io.portico.router.policy.HeaderTarget;
import io.portico.router.policy.UpstreamChanges;
import io.portico.router.route.ErrorPages;
import io.portico.router.route.RouteTarget;
import io.portico.router.route.Upstream;
import io.vertx.core.http.HttpServerRequest;
import org.jspecify.annotations.Nullable;

/**
 * A response the route's {@link ErrorPages} take: the request goes to the error backend instead, as
 * ingress-nginx's {@code error_page} to its custom-error location sends it: the same method, path
 * {@code /} with the original query, the client's headers, and {@code X-Code}, {@code X-Format},
 * {@code X-Original-URI} and the rule's context headers; no body. The client gets the error
 * backend's answer as it is, its status included; a failure to reach it is Portico's own answer,
 * never intercepted again.
 *
 * <p>Only routes with error pages get here: the proxy asks {@link RouteTarget#errorUpstream()}
 * first, which is {@code null} for every other route.
 */
final class ErrorPage {

  private ErrorPage() {}

  /**
   * Whether a response with {@code status} to a request of {@code target} goes to its error page.
   */
  static boolean intercepts(RouteTarget target, int status) {
    ErrorPages pages = target.route().errorPages();
    return target.errorUpstream() != null && pages != null && pages.intercepts(status);
  }

  /**
   * Reads and drops what the client still sends of a body no exchange has taken: the error backend
   * gets no body. An exchange that took the body drops it itself.
   */
  static void dropBody(HttpServerRequest request) {
    if (!request.isEnded()) {
      request.handler(chunk -> {});
      request.endHandler(end -> {});
      request.resume();
    }
  }

  /**
   * Sends the request to the error backend, without its body (see {@link #dropBody}).
   *
   * @param status the status being replaced
   * @param abandoned the placement of the exchange whose answer is replaced, released here; {@code
   *     null} when the request never went upstream
   */
  static void send(
      ListenerContext listener,
      HttpServerRequest request,
      RequestRecord record,
      RouteTarget target,
      int status,
      @Nullable Placement abandoned) {
    if (abandoned != null) {
      abandoned.release();
    }
    // Called only when intercepts(target, status): the route has error pages and their upstream.
    ErrorPages pages = requireNonNull(target.route().errorPages(), "errorPages");
    Upstream upstream = requireNonNull(target.errorUpstream(), "errorUpstream");
    RouteTarget errors = new RouteTarget(target.route(), upstream, target.fallback());
    Placement placement = Placement.of(request, errors);
    if (placement.endpoint() == null) {
      record.failed(ProxyFailure.NO_ENDPOINT);
      ProxyFailure.NO_ENDPOINT.send(request);
      return;
    }
    record.placement(placement);
    new ProxiedExchange(listener, request, record, errors, changes(request, pages, status))
        .startWithoutBody(placement);
  }

  private static UpstreamChanges changes(HttpServerRequest request, ErrorPages pages, int status) {
    HeaderEdits headers = new HeaderEdits();
    pages.context().setHeaders(new Edits(headers), status, request.getHeader("accept"));
    headers.set("X-Original-URI", UpstreamRequest.originForm(request));
    headers.remove(HttpHeaderNames.CONTENT_LENGTH.toString());
    headers.remove(HttpHeaderNames.TRANSFER_ENCODING.toString());
    String query = request.query();
    return new UpstreamChanges(query == null ? "/" : "/?" + query, null, headers);
  }

  /** Header edits as a {@link HeaderTarget}. */
  private record Edits(HeaderEdits edits) implements HeaderTarget {
    @Override
    public void set(String name, String value) {
      edits.set(name, value);
    }

    @Override
    public void add(String name, String value) {
      edits.add(name, value);
    }

    @Override
    public void remove(String name) {
      edits.remove(name);
    }
  }
}
