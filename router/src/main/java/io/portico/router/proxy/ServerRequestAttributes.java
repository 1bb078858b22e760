package io.portico.router.proxy;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.portico.router.route.RequestAttributes;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A server request as Gateway API matches read it. Made only for listeners that serve Gateway API
 * rules; the query is decoded once, on the first question about it, with the case of its names kept
 * (matches compare them with case).
 */
final class ServerRequestAttributes implements RequestAttributes {

  private final HttpServerRequest request;
  private @Nullable Map<String, List<String>> query;

  ServerRequestAttributes(HttpServerRequest request) {
    this.request = request;
  }

  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public @Nullable String header(String name) {
    List<String> values = request.headers().getAll(name);
    if (values.isEmpty()) {
      return null;
    }
    return values.size() == 1 ? values.get(0) : String.join(",", values);
  }

  @Override
  public @Nullable String queryParameter(String name) {
    if (query == null) {
      String raw = request.query();
      query = raw == null ? Map.of() : new QueryStringDecoder(raw, false).parameters();
    }
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
