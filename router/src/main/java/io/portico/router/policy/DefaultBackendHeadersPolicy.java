package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

/**
 * The request goes to a default backend because the Service its rule names has no endpoints
 * (ingress-nginx's {@code default-backend} annotation): that backend is told so, as ingress-nginx
 * tells it, with {@code X-Code: 503}, {@code X-Format} and the {@linkplain ErrorPageContext
 * context} headers. The request keeps its URI and method; the client gets the default backend's
 * answer.
 */
public record DefaultBackendHeadersPolicy(ErrorPageContext context) implements RequestPolicy {

  /** The status the missing endpoints stand for. */
  public static final int CODE = 503;

  public DefaultBackendHeadersPolicy {
    requireNonNull(context, "context");
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.HEADERS;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    context.setHeaders(new UpstreamHeaders(exchange), CODE, request.header("accept"));
    exchange.proceed();
  }

  @Override
  public String label() {
    return "default backend for " + context.serviceName() + ":" + context.servicePort();
  }

  /** The exchange's upstream header changes as a {@link HeaderTarget}. */
  private record UpstreamHeaders(PolicyExchange exchange) implements HeaderTarget {
    @Override
    public void set(String name, String value) {
      exchange.setUpstreamHeader(name, value);
    }

    @Override
    public void add(String name, String value) {
      throw new UnsupportedOperationException("add: " + name);
    }

    @Override
    public void remove(String name) {
      exchange.removeUpstreamHeader(name);
    }
  }
}
